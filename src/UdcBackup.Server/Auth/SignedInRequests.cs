using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace UdcBackup.Server.Auth;

/// <summary>
/// The API requests in flight, with who made them, so revoking a token or removing a user also
/// ends what is already running under it: a live event stream (SSE) authenticated once at its
/// start would otherwise keep reading after the revocation. <see cref="AbortWhere"/> aborts the
/// matching connections; the browser's EventSource reconnects and is then refused with 401 like
/// any new request (tokens are looked up on every request). Only this node's requests are seen.
/// </summary>
public sealed class SignedInRequests
{
    private readonly ConcurrentDictionary<HttpContext, SignedInUser> _requests = new();

    /// <summary>Registers a request until the returned handle is disposed.</summary>
    public IDisposable Track(HttpContext context, SignedInUser user)
    {
        _requests[context] = user;
        return new Registration(this, context);
    }

    /// <summary>Aborts every request whose user matches, except <paramref name="except"/> (the request asking, which answers normally); returns how many.</summary>
    public int AbortWhere(Func<SignedInUser, bool> match, HttpContext? except = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var aborted = 0;
        foreach (var (context, user) in _requests)
        {
            if (context != except && match(user) && _requests.TryRemove(context, out _))
            {
                context.Abort();
                aborted++;
            }
        }

        return aborted;
    }

    private sealed class Registration(SignedInRequests owner, HttpContext context) : IDisposable
    {
        public void Dispose() => owner._requests.TryRemove(context, out _);
    }
}

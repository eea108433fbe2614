using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace UdcBackup.Server.Auth;

/// <summary>
/// The API requests in flight, with who made them, so revoking a token or removing a user also
/// ends what is already running under it: a live event stream (SSE) authenticated once at its
/// start would otherwise keep reading after the revocation. <see cref="Track"/> gives each request
/// its own cancellation source and makes it the request's <see cref="HttpContext.RequestAborted"/>;
/// <see cref="AbortWhere"/> cancels the matching ones, so their endpoints stop as if the client had
/// gone (a stream ends; the browser's EventSource reconnects and is then refused with 401 like any
/// new request, since tokens are looked up on every request). Each request has its own source, so
/// a cancellation can never reach a later request that reuses the same pooled context. Only this
/// node's requests are seen.
/// </summary>
public sealed class SignedInRequests
{
    private readonly ConcurrentDictionary<CancellationTokenSource, (SignedInUser User, HttpContext Context)> _requests = new();

    /// <summary>Registers a request until the returned handle is disposed.</summary>
    public IDisposable Track(HttpContext context, SignedInUser user)
    {
        ArgumentNullException.ThrowIfNull(context);
        var original = context.RequestAborted;
        var source = CancellationTokenSource.CreateLinkedTokenSource(original);
        context.RequestAborted = source.Token;
        _requests[source] = (user, context);
        return new Registration(this, source, context, original);
    }

    /// <summary>Cancels every request whose user matches, except <paramref name="except"/> (the request asking, which answers normally); returns how many.</summary>
    public int AbortWhere(Func<SignedInUser, bool> match, HttpContext? except = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var aborted = 0;
        foreach (var (source, request) in _requests)
        {
            if (request.Context != except && match(request.User) && _requests.TryRemove(source, out _))
            {
                try
                {
                    source.Cancel();
                    aborted++;
                }
                catch (ObjectDisposedException)
                {
                    // The request ended meanwhile: nothing left to stop.
                }
            }
        }

        return aborted;
    }

    // Disposed by the access middleware before the request leaves it, so code outside it never
    // sees the disposed source's token.
    private sealed class Registration(SignedInRequests owner, CancellationTokenSource source, HttpContext context, CancellationToken original) : IDisposable
    {
        public void Dispose()
        {
            owner._requests.TryRemove(source, out _);
            context.RequestAborted = original;
            source.Dispose();
        }
    }
}

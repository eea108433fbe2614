using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace UdcBackup.Server.Web;

/// <summary>
/// Turns a snapshot source into a stream of changes. The durable runtime has no change feed, so
/// this polls the snapshot at a fixed, modest rate on the server (one poll per open stream) and
/// emits an event only when the snapshot's fingerprint differs from the last one sent; the first
/// snapshot is always sent. A read that fails is sent as an <c>error</c> event and retried at the
/// next poll, so a transient store error does not end the browser's stream. The stream ends when
/// the client goes away, the controller stops, or <c>isFinal</c> says the last snapshot was final
/// (then an <c>end</c> event tells the browser not to reconnect).
/// </summary>
internal static class ChangeFeed
{
    public static async IAsyncEnumerable<SseItem<object>> StreamAsync<T>(
        string eventType,
        Func<CancellationToken, Task<T>> read,
        Func<T, string> fingerprint,
        Func<T, bool> isFinal,
        TimeSpan interval,
        TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            T snapshot;
            string? error = null;
            try
            {
                snapshot = await read(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Data.Common.DbException or KeyNotFoundException)
            {
                snapshot = default!;
                error = e.Message;
            }

            if (error is not null)
            {
                yield return new SseItem<object>(new LiveError(error), "error");
            }
            else
            {
                var print = fingerprint(snapshot);
                if (print != last)
                {
                    last = print;
                    yield return new SseItem<object>(snapshot!, eventType);
                }

                if (isFinal(snapshot))
                {
                    yield return new SseItem<object>(new LiveError("final"), "end");
                    yield break;
                }
            }

            try
            {
                await Task.Delay(interval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}

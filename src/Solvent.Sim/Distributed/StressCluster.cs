using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;

namespace Solvent.Sim.Distributed;

/// <summary>
/// A connection to the JetStream objects of distributed stress runs: the work-queue stream (one message per
/// path, subjects <c>PREFIX.work.RUN</c>), the results stream (<c>PREFIX.result.RUN</c>), the durable pull
/// consumer workers share, and the object store holding scenario bundles (and outcomes too large for one
/// message). Coordinators and workers both create them, with the same configuration, so either may start first.
/// </summary>
internal sealed class StressCluster : IAsyncDisposable
{
    private StressCluster(NatsConnection conn, DistributedOptions options, INatsObjStore store)
    {
        Connection = conn;
        Options = options;
        JetStream = new NatsJSContext(conn);
        Store = store;
    }

    public NatsConnection Connection { get; }

    public NatsJSContext JetStream { get; }

    public DistributedOptions Options { get; }

    public INatsObjStore Store { get; }

    /// <summary>Connects and creates (or checks) the streams, the consumer and the bucket; retries while the cluster elects its JetStream leader.</summary>
    public static async Task<StressCluster> ConnectAsync(DistributedOptions o, string name, CancellationToken ct)
    {
        var conn = new NatsConnection(new NatsOpts
        {
            Url = o.NatsUrls,
            Name = name,
            RequestTimeout = TimeSpan.FromSeconds(10),
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        });
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                await conn.ConnectAsync().ConfigureAwait(false);
                var js = new NatsJSContext(conn);
                await js.CreateOrUpdateStreamAsync(
                    new StreamConfig(o.WorkStream, [o.WorkSubjects])
                    {
                        Retention = StreamConfigRetention.Workqueue,
                        Storage = StreamConfigStorage.File,
                        NumReplicas = o.Replicas,
                        DuplicateWindow = TimeSpan.FromMinutes(2),
                    },
                    ct).ConfigureAwait(false);
                await js.CreateOrUpdateStreamAsync(
                    new StreamConfig(o.ResultStream, [o.ResultSubjects])
                    {
                        Storage = StreamConfigStorage.File,
                        NumReplicas = o.Replicas,
                        MaxAge = TimeSpan.FromDays(1),
                    },
                    ct).ConfigureAwait(false);
                await js.CreateOrUpdateConsumerAsync(
                    o.WorkStream,
                    new ConsumerConfig(o.Consumer)
                    {
                        DurableName = o.Consumer,
                        AckPolicy = ConsumerConfigAckPolicy.Explicit,
                        AckWait = o.AckWait,
                        MaxDeliver = o.MaxDeliver,
                        FilterSubject = o.WorkSubjects,
                        MaxAckPending = 10_000,
                    },
                    ct).ConfigureAwait(false);
                INatsObjStore store = await new NatsObjContext(js).CreateObjectStoreAsync(
                    new NatsObjConfig(o.ScenarioBucket) { NumberOfReplicas = o.Replicas, Storage = NatsObjStorageType.File, MaxAge = TimeSpan.FromDays(7) },
                    ct).ConfigureAwait(false);
                return new StressCluster(conn, o, store);
            }
            catch (Exception e) when (e is NatsException or TimeoutException && DateTime.UtcNow < until && !ct.IsCancellationRequested)
            {
                await Task.Delay(250, ct).ConfigureAwait(false);
            }
            catch
            {
                await conn.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>The largest message the server accepts, less room for headers.</summary>
    public int MaxInlinePayload => Math.Max(1024, (Connection.ServerInfo?.MaxPayload ?? 1024 * 1024) - (16 * 1024));

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="key"/> in chunks the server accepts.</summary>
    public async Task PutAsync(string key, byte[] bytes, CancellationToken ct)
    {
        var meta = new ObjectMetadata { Name = key, Options = new MetaDataOptions { MaxChunkSize = Math.Min(128 * 1024, MaxInlinePayload) } };
        using var data = new MemoryStream(bytes, writable: false);
        await Store.PutAsync(meta, data, leaveOpen: false, ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Auth;

/// <summary>
/// Wires operator sign-in into the controller: the store in <c>DATA/auth.db</c>, the first admin
/// on a fresh data directory (<see cref="AdminBootstrap"/>, done here so the files exist before
/// the server listens), and the access middleware that must sit after routing.
/// </summary>
public static class AuthServices
{
    /// <summary>The store file inside the data directory.</summary>
    public const string StoreFileName = "auth.db";

    public static IServiceCollection AddAuthServices(this IServiceCollection services, ServerSettings settings, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = new AuthStore(Path.Combine(settings.DataDirectory, StoreFileName));
        AdminBootstrap.EnsureAdmin(store, settings.DataDirectory, TimeProvider.System, logger);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SignInThrottle(
            store.Path,
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(settings.SignIn.AddressLockoutSeconds),
            TimeSpan.FromSeconds(settings.SignIn.UserLockoutSeconds)));
        services.AddSingleton<SignedInRequests>();
        return services.AddSingleton(store);
    }

    /// <summary>Signs in, authorizes and audits every <c>/api</c> request (see <see cref="ApiAccessMiddleware"/>).</summary>
    public static WebApplication UseApiAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiAccessMiddleware>();
        return app;
    }
}

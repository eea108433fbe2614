using System.Collections;
using Microsoft.Extensions.Configuration;

namespace UdcBackup.Server.Configuration;

/// <summary>
/// Builds <see cref="ServerSettings"/> from, in rising precedence: built-in defaults, the optional
/// <c>DIR/udc.json</c>, environment variables prefixed <c>UDC_</c>, and the command line.
/// Then validates them. Any problem (unreadable JSON, a value of the wrong type, a rule broken)
/// throws <see cref="InvalidSettingsException"/> naming the setting; nothing is started.
/// </summary>
public static class ServerSettingsLoader
{
    /// <summary>Loads and validates the settings for a controller on <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data directory given on the command line.</param>
    /// <param name="urls">The listen addresses given on the command line, or null to use the other sources.</param>
    /// <param name="environment">The environment variables to read (the process's own when null).</param>
    public static ServerSettings Load(string dataDirectory, string? urls, IDictionary? environment = null)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            throw new InvalidSettingsException(["DataDirectory: a data directory is required (--data DIR)."]);
        }

        var fullData = Path.GetFullPath(dataDirectory);
        var builder = new ConfigurationBuilder();
        var settingsFile = Path.Combine(fullData, ServerSettings.SettingsFileName);
        if (File.Exists(settingsFile))
        {
            builder.AddJsonFile(settingsFile, optional: true, reloadOnChange: false);
        }

        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment ?? Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("UDC_", StringComparison.OrdinalIgnoreCase))
            {
                overrides[key["UDC_".Length..].Replace("__", ":", StringComparison.Ordinal)] = entry.Value as string;
            }
        }

        if (urls is not null)
        {
            overrides[nameof(ServerSettings.Urls)] = urls;
        }

        builder.AddInMemoryCollection(overrides);

        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            var innermost = e;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            throw new InvalidSettingsException([$"{settingsFile}: cannot be read ({innermost.Message})"]);
        }

        var settings = new ServerSettings();
        try
        {
            configuration.Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key ("...value at 'Workers:ActivityConcurrency' to type...").
            throw new InvalidSettingsException([e.Message]);
        }

        // The binder leaves a list alone for an empty JSON list ([]), which the provider records as
        // the key without a value; for a disk agent an empty list admits no variable, so here too.
        if (settings.ScriptEnvironmentPrefixes is null
            && configuration.AsEnumerable().Any(e => string.Equals(e.Key, nameof(ServerSettings.ScriptEnvironmentPrefixes), StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(e.Value)))
        {
            settings.ScriptEnvironmentPrefixes = [];
        }

        settings.DataDirectory = fullData;
        var result = new ServerSettingsValidator().Validate(settings);
        if (!result.IsValid)
        {
            throw new InvalidSettingsException(result.Errors.Select(e => e.ErrorMessage).Distinct().ToList());
        }

        return settings;
    }
}

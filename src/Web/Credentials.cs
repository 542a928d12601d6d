using Microsoft.Extensions.Configuration;

namespace Alice.Web;

/// <summary>
/// Secrets handed over as systemd credentials (LoadCredential= in the units): systemd puts one file per
/// secret in a private folder and names it in CREDENTIALS_DIRECTORY; each file is the setting it is named
/// after, Section__Key as in the environment. Secrets thus never sit in the process's environment, which
/// /proc and child processes can read. Read last, so a credential wins over the environment file.
/// </summary>
public static class Credentials
{
    public const string FolderVariable = "CREDENTIALS_DIRECTORY";

    public static IConfigurationManager AddCredentials(this IConfigurationManager configuration)
    {
        if (configuration[FolderVariable] is not { Length: > 0 } folder) return configuration;
        // Read once at start: systemd does not change them while the service runs. A trailing newline
        // (echo, an editor) is not part of a secret.
        configuration.AddInMemoryCollection(Directory.EnumerateFiles(folder).Select(file =>
            KeyValuePair.Create(Path.GetFileName(file).Replace("__", ":"), (string?)File.ReadAllText(file).TrimEnd('\r', '\n'))));
        return configuration;
    }
}

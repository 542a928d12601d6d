using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Storage;

/// <summary>Where rides and the job store live. SQLite is the embedded default: one file, no set-up.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=data/alice.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    internal sealed class Validator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
            string.IsNullOrWhiteSpace(options.ConnectionString)
                ? ValidateOptionsResult.Fail("Database:ConnectionString is required (e.g. \"Data Source=data/alice.db\").")
                : ValidateOptionsResult.Success;
    }
}

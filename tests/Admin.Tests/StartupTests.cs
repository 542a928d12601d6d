using Microsoft.Extensions.Options;

namespace Alice.Admin.Tests;

/// <summary>A wrong setting stops the panel at start with a message that says which, before it serves a page.</summary>
public class StartupTests
{
    private static readonly Dictionary<string, string> Good = new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = "Data Source=/nonexistent/admin.db",
        ["Database:PublishedConnectionString"] = "Data Source=/nonexistent/published.db",
        ["Admin:PublicBaseUrl"] = "https://panel.example.test",
        ["DataProtection:KeyEncryptionKey"] = Support.Panel.KeyEncryptionKey,
    };

    [Theory]
    [InlineData("Disclosure:Threshold", "4", "Disclosure:Threshold must be between 5 and 100")]
    [InlineData("Disclosure:Threshold", "0", "Disclosure:Threshold must be between 5 and 100")]
    [InlineData("Admin:PublicBaseUrl", "http://panel.example.test", "Admin:PublicBaseUrl must be https outside Development")]
    [InlineData("Admin:PublicBaseUrl", "", "Admin:PublicBaseUrl is required")]
    [InlineData("Database:ConnectionString", "", "Database:ConnectionString is required")]
    [InlineData("Database:PublishedConnectionString", "", "Database:PublishedConnectionString is required")]
    [InlineData("Database:PublishedConnectionString", "Data Source=/nonexistent/admin.db", "must be two files")]
    [InlineData("DataProtection:KeyEncryptionKey", "", "DataProtection:KeyEncryptionKey is required outside Development")]
    [InlineData("Server:DataRateGraceSeconds", "60", "Server:DataRateGraceSeconds must be between 1 and 30")]
    public async Task A_wrong_setting_stops_the_start_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string>(Good) { [key] = value };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public async Task On_postgresql_the_panel_refuses_to_log_in_as_anyone_but_alice_admin()
    {
        var settings = new Dictionary<string, string>(Good)
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=alice_panel;Username=alice_admin;Password=x",
            ["Database:PublishedConnectionString"] = "Host=127.0.0.1;Port=1;Database=alice;Username=alice;Password=x",
        };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains("connects to PostgreSQL as alice_admin", failure.Message);
    }

    [Fact]
    public async Task A_panel_started_before_its_store_exists_refuses_to_start_saying_what_to_run()
    {
        var folder = Directory.CreateTempSubdirectory("alice-admin-start-").FullName;
        var settings = new Dictionary<string, string>(Good)
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "admin.db")}",
            ["Database:PublishedConnectionString"] = $"Data Source={Path.Combine(folder, "published.db")}",
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains("dotnet Alice.Admin.dll migrate", failure.Message);
        Assert.False(File.Exists(Path.Combine(folder, "admin.db"))); // nothing made by the attempt
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_panel_started_before_its_store_is_made_waits_for_it_and_starts_once_it_is()
    {
        var folder = Directory.CreateTempSubdirectory("alice-admin-start-").FullName;
        var settings = new Dictionary<string, string>(Good)
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "admin.db")}",
            ["Database:PublishedConnectionString"] = $"Data Source={Path.Combine(folder, "published.db")}",
            ["Database:WaitSeconds"] = "120",
        };

        var starting = StartAsync(settings);
        // Longer than a start that refuses takes: the panel is still waiting, not failed.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(starting.IsCompleted, $"the panel stopped waiting before its store was made: {starting.Exception?.InnerException?.Message}");

        await Support.Panel.MigratePanelAsync(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        await starting.WaitAsync(TimeSpan.FromSeconds(60)); // started, then stopped by StartAsync itself
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_panel_whose_store_is_older_than_itself_refuses_to_start_saying_what_to_run()
    {
        var folder = Directory.CreateTempSubdirectory("alice-admin-start-").FullName;
        var store = Path.Combine(folder, "admin.db");
        await using (var empty = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
            await empty.OpenAsync(); // an empty file: not migrated
        var settings = new Dictionary<string, string>(Good)
        {
            ["Database:ConnectionString"] = $"Data Source={store}",
            ["Database:PublishedConnectionString"] = $"Data Source={Path.Combine(folder, "published.db")}",
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings));

        Assert.Contains("migrations pending", failure.Message);
        Assert.Contains("dotnet Alice.Admin.dll migrate", failure.Message);
        Directory.Delete(folder, recursive: true);
    }

    private static async Task StartAsync(Dictionary<string, string> settings)
    {
        await using var app = AdminHost.Build([.. settings.Select(s => $"--{s.Key}={s.Value}"), "--environment", "Production", "--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        await app.StopAsync();
    }
}

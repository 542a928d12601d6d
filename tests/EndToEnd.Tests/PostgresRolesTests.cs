using Npgsql;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// infra/postgres as a deployment copies it: each role its own random password (kept in the cluster's
/// folder, readable by its owner only, the same on the next start), and no role trusted, the cluster's
/// own superuser included. The panel's role owns its own database and no other role may connect to it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // infra/postgres is a bash script for Linux
public sealed class PostgresRolesTests : IAsyncLifetime
{
    private readonly PrivateCluster _cluster = new("roles");
    private Dictionary<string, string> _printed = [];

    public async Task InitializeAsync() => _printed = Parse(await _cluster.RunAsync("start"));

    [Fact]
    public void Every_role_has_a_password_of_its_own()
    {
        string Password(string name) => new NpgsqlConnectionStringBuilder(_printed[name]).Password!;
        string[] passwords = [Password("ALICE_POSTGRES"), Password("ALICE_POSTGRES_ADMIN"), Password("ALICE_POSTGRES_SUPER")];

        Assert.Equal(3, passwords.Distinct().Count());
        Assert.All(passwords, p => Assert.True(p.Length >= 32, "a random password, not a word"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_cluster.Folder, "alice-passwords")));
    }

    [Fact]
    public async Task The_next_start_keeps_the_passwords()
    {
        Assert.Equal(_printed, Parse(await _cluster.RunAsync("start")));
        await using var connection = new NpgsqlConnection(_printed["ALICE_POSTGRES"]);
        await connection.OpenAsync();
    }

    [Fact]
    public async Task No_role_logs_in_without_its_password_not_even_the_clusters_superuser()
    {
        Assert.DoesNotContain("trust", await File.ReadAllTextAsync(Path.Combine(_cluster.Folder, "pg_hba.conf")));
        foreach (var user in new[] { "postgres", "alice", "alice_admin", "alice_super" })
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_cluster.Port};Database=postgres;Username={user};Password=wrong;Pooling=false");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal("28P01", refused.SqlState); // invalid_password
        }
    }

    [Fact]
    public async Task The_panels_database_is_alice_admins_and_the_service_cannot_enter_it()
    {
        await using (var panel = new NpgsqlConnection(_printed["ALICE_POSTGRES_PANEL"]))
        {
            await panel.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE mine (x int); DROP TABLE mine;", panel);
            await create.ExecuteNonQueryAsync();
        }
        var service = new NpgsqlConnectionStringBuilder(_printed["ALICE_POSTGRES"]) { Database = "alice_panel", Pooling = false };
        await using var intruder = new NpgsqlConnection(service.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync());
        Assert.Equal("42501", refused.SqlState); // insufficient_privilege: no CONNECT
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.RunAsync("reset");
    }

    private static Dictionary<string, string> Parse(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('\''));
}

using System.Data.Common;
using Alice.Admin.Tests.Support;
using Dapper;

namespace Alice.Admin.Tests;

/// <summary>
/// The panel cannot read a ride even if its code is compromised: its connections are refused by the
/// database itself (SQLite's authorizer and read-only file; PostgreSQL's alice_admin grants) for every
/// table but the totals and the accounts, on whichever database the suite runs.
/// </summary>
public class DatabaseAccessTests(Panel panel) : IClassFixture<Panel>
{
    public static TheoryData<string> Forbidden => new()
    {
        "rides", "alerts", "audit_log", "police_requests", "partner_events", "dead_bookings", "sms_consents", "schema_migrations",
        "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "RIDES",
    };

    [Fact]
    public async Task The_panel_reads_the_totals_and_the_accounts()
    {
        await panel.AddTotalsAsync(("alma", "2026-W10", "rides_booked", 12));

        await using var totals = await panel.Connections.Totals.OpenConnectionAsync();
        await using var accounts = await panel.Connections.Accounts.OpenConnectionAsync();

        Assert.True(await totals.ExecuteScalarAsync<long>("SELECT SUM(value) FROM weekly_totals;") >= 12);
        Assert.Contains("first-operator", await accounts.QueryAsync<string>("SELECT user_name FROM accounts;"));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task Reading_another_table_is_refused_by_the_database(string table)
    {
        await using var totals = await panel.Connections.Totals.OpenConnectionAsync();
        await using var accounts = await panel.Connections.Accounts.OpenConnectionAsync();

        foreach (var connection in new DbConnection[] { totals, accounts })
        {
            await Assert.ThrowsAnyAsync<DbException>(() => connection.QueryAsync($"SELECT * FROM {table};"));
            await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table};"));
        }
    }

    [Fact]
    public async Task The_tables_the_panel_is_refused_do_exist_and_hold_rows()
    {
        // So that the refusals above are refusals, not missing tables.
        using var service = panel.Database.Open();
        Assert.True(await service.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log;") > 0); // the invitation
        Assert.Equal(0, await service.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rides;"));
        foreach (var table in new[] { "alerts", "police_requests", "partner_events", "dead_bookings", "sms_consents", "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers" })
            Assert.True(await service.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table};") >= 0);
    }

    [Theory]
    [InlineData("DELETE FROM weekly_totals;")]
    [InlineData("UPDATE weekly_totals SET value = 0;")]
    [InlineData("INSERT INTO weekly_totals (campus, week, measure, value) VALUES ('alma', '2026-W11', 'rides_booked', 1);")]
    [InlineData("INSERT INTO rides (id) VALUES ('x');")]
    [InlineData("DELETE FROM accounts;")]
    [InlineData("DELETE FROM audit_log;")]
    [InlineData("UPDATE audit_log SET actor = 'someone else';")]
    [InlineData("INSERT INTO data_protection_keys (name, xml, created_at) VALUES ('k', '<key/>', 0);")]
    [InlineData("DROP TABLE rides;")]
    [InlineData("CREATE TABLE copied AS SELECT * FROM weekly_totals;")]
    public async Task Changing_anything_but_accounts_is_refused(string sql)
    {
        await using var totals = await panel.Connections.Totals.OpenConnectionAsync();
        await using var accounts = await panel.Connections.Accounts.OpenConnectionAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => totals.ExecuteAsync(sql));
        await Assert.ThrowsAnyAsync<DbException>(() => accounts.ExecuteAsync(sql));
    }

    [Fact]
    public async Task The_audit_is_added_to_but_not_read()
    {
        await using var accounts = await panel.Connections.Accounts.OpenConnectionAsync();

        await accounts.ExecuteAsync("INSERT INTO audit_log (id, at, actor, action, subject) VALUES (@id, 0, 'test', 'test.entry', 'nothing');", new { id = Guid.NewGuid().ToString() });

        await Assert.ThrowsAnyAsync<DbException>(() => accounts.QueryAsync("SELECT actor FROM audit_log;"));
        using var service = panel.Database.Open();
        Assert.Equal(1, await service.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'test.entry';"));
    }
}

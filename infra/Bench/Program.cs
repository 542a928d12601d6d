using Alice.Bench;

// Load generator for infra/bench: see that script for how the service under test is started. Each part
// adds its figures to a results file, one per database; `report` prints them as one table (`speech` prints its own).
//   Alice.Bench hotline <results> <dispatch-url> <partner-url> <auth-token> <dispatch-pid> <concurrency> [booking-step-requests]
//   Alice.Bench partner <results> <dispatch-url> <partner-url> <auth-token>
//   Alice.Bench speech <dispatch-url> <auth-token>
//   Alice.Bench report <sqlite-results> <postgres-results>
switch (args)
{
    case ["hotline", var results, var dispatch, var partner, var token, var pid, var concurrency, .. var rest]:
        await HotlineBench.RunAsync(results, dispatch, partner, token, int.Parse(pid), int.Parse(concurrency), rest.Length > 0 ? int.Parse(rest[0]) : 1500);
        return 0;
    case ["partner", var results, var dispatch, var partner, var token]:
        await PartnerBench.RunAsync(results, dispatch, partner, token, calls: 200, concurrency: 4, outageSeconds: 60, outageCalls: 100);
        return 0;
    case ["speech", var dispatch, var token]:
        await SpeechBench.RunAsync(dispatch, token);
        return 0;
    case ["report", var sqlite, var postgres]:
        Report.Print(Results.Read(sqlite), Results.Read(postgres));
        return 0;
    default:
        Console.Error.WriteLine("usage: Alice.Bench hotline <results> <dispatch-url> <partner-url> <auth-token> <dispatch-pid> <concurrency> [booking-step-requests]");
        Console.Error.WriteLine("       Alice.Bench partner <results> <dispatch-url> <partner-url> <auth-token>");
        Console.Error.WriteLine("       Alice.Bench speech <dispatch-url> <auth-token>");
        Console.Error.WriteLine("       Alice.Bench report <sqlite-results> <postgres-results>");
        return 2;
}

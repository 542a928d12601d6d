using Alice.Bench;

// Load generator for infra/bench: see that script for how the service under test is started.
//   Alice.Bench hotline <dispatch-url> <partner-url> <auth-token> [concurrency] [requests-per-scenario]
//   Alice.Bench partner <dispatch-url> <partner-url> <auth-token>
var command = args.ElementAtOrDefault(0);
if (command == "hotline" && args.Length >= 4)
{
    var concurrency = args.Length > 4 ? int.Parse(args[4]) : 16;
    var requests = args.Length > 5 ? int.Parse(args[5]) : 3000;
    await HotlineBench.RunAsync(args[1], args[2], args[3], concurrency, requests);
    return 0;
}
if (command == "partner" && args.Length >= 4)
{
    await PartnerBench.RunAsync(args[1], args[2], args[3], calls: 200, concurrency: 4, outageSeconds: 60, outageCalls: 100);
    return 0;
}
Console.Error.WriteLine("usage: Alice.Bench hotline <dispatch-url> <partner-url> <auth-token> [concurrency] [requests]");
Console.Error.WriteLine("       Alice.Bench partner <dispatch-url> <partner-url> <auth-token>");
return 2;

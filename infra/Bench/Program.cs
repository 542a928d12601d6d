using Alice.Bench;

// Load generator for infra/bench: see that script for how the service under test is started.
//   Alice.Bench hotline <dispatch-url> <partner-url> <auth-token> [concurrency] [requests-per-scenario]
var command = args.ElementAtOrDefault(0);
if (command == "hotline" && args.Length >= 4)
{
    var concurrency = args.Length > 4 ? int.Parse(args[4]) : 16;
    var requests = args.Length > 5 ? int.Parse(args[5]) : 3000;
    await HotlineBench.RunAsync(args[1], args[2], args[3], concurrency, requests);
    return 0;
}
Console.Error.WriteLine("usage: Alice.Bench hotline <dispatch-url> <partner-url> <auth-token> [concurrency] [requests]");
return 2;

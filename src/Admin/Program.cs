// The organisers' panel: `dotnet Alice.Admin.dll` with the same database as the dispatch service (see README).
Alice.Admin.AdminHost.Build(args).Run();

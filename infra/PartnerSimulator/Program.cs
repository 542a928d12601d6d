using Alice.PartnerSimulator;

// A stand-in taxi partner implementing partner API v1.1 (src/Dispatch/Partners/partner-api-v1.md):
// it checks signatures and idempotency keys like a real partner must, and shows what it received.
SimulatorApp.Build(args).Run();

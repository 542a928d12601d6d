using Alice.PoliceReceiver;

// A stand-in for a police zone's receiving end: it checks the signature of each police request as a
// zone must, keeps each request once (by its Idempotency-Key), shows them, and fails on request.
PoliceReceiverApp.Build(args).Run();

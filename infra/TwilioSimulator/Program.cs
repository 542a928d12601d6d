using Alice.TwilioSimulator;

// A stand-in for the part of Twilio's REST API the service uses to reach a person: messages (SMS) and
// calls. It checks the account's Basic credentials as Twilio does, records what it was asked to send,
// shows it, and fails on request.
TwilioSimulatorApp.Build(args).Run();

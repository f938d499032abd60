namespace Solvent.Storage.Tests.Faults;

/// <summary>The simulated machine lost power at an armed operation; nothing more runs until <see cref="SimulatedDisk.PowerLoss"/>.</summary>
public sealed class SimulatedCrashException(string operation) : IOException($"power lost at {operation}");

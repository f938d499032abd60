using BenchmarkDotNet.Running;

// BenchmarkDotNet entry point: dotnet run -c Release --project bench/Solvent.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Solvent.Benchmarks.HealthBenchmarks).Assembly).Run(args);

using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Visage.Benchmarks -- --filter '*'   (or pick a class, e.g. '*SquareInput*')
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

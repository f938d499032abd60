using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("solvent")]
[assembly: InternalsVisibleTo("Solvent.Sim.Tests")]
[assembly: InternalsVisibleTo("Solvent.Stress.Tests")]

namespace Solvent.Sim;

/// <summary>Lower-triangular Cholesky factor of a correlation matrix, so correlated normals are L·ε.</summary>
internal static class Cholesky
{
    /// <summary>L with L·Lᵀ = <paramref name="c"/>; null unless c is symmetric positive definite with a unit diagonal.</summary>
    public static double[,]? Factor(double[,] c)
    {
        int n = c.GetLength(0);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            if (Math.Abs(c[i, i] - 1) > 1e-9)
            {
                return null;
            }

            for (int j = 0; j <= i; j++)
            {
                if (Math.Abs(c[i, j] - c[j, i]) > 1e-9)
                {
                    return null;
                }

                double s = c[i, j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (s <= 1e-12)
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(s);
                }
                else
                {
                    l[i, j] = s / l[j, j];
                }
            }
        }

        return l;
    }
}

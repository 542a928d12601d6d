using System.Numerics;

namespace Alice.Admin.Tests.Support;

/// <summary>
/// The span over the rationals of some 0/1 vectors, by elimination on whole numbers: a row is only
/// ever scaled by a nonzero number and combined with another, never divided into fractions or taken
/// modulo anything, so membership is exact.
/// </summary>
internal sealed class ExactSpan
{
    private readonly int _dimension;
    private readonly List<(int Pivot, BigInteger[] Row)> _rows = [];

    public ExactSpan(IEnumerable<IReadOnlyList<int>> vectors, int dimension)
    {
        _dimension = dimension;
        foreach (var vector in vectors)
        {
            var row = Reduce(vector);
            var pivot = Array.FindIndex(row, x => !x.IsZero);
            if (pivot >= 0)
                _rows.Add((pivot, row));
        }
    }

    public bool Contains(IReadOnlyList<int> variables) => Reduce(variables).All(x => x.IsZero);

    // Each stored row is zero at the pivots of those before it, so clearing them in order leaves the
    // result zero at every pivot, and a nonzero vector of the span is nonzero at some pivot.
    private BigInteger[] Reduce(IReadOnlyList<int> variables)
    {
        var v = new BigInteger[_dimension];
        foreach (var j in variables)
            v[j] += 1;
        foreach (var (pivot, row) in _rows)
        {
            if (v[pivot].IsZero)
                continue;
            var (a, b) = (row[pivot], v[pivot]);
            var gcd = BigInteger.Zero;
            for (var j = 0; j < _dimension; j++)
            {
                v[j] = a * v[j] - b * row[j];
                gcd = BigInteger.GreatestCommonDivisor(gcd, v[j]);
            }
            if (gcd > 1)
                for (var j = 0; j < _dimension; j++)
                    v[j] /= gcd;
        }
        return v;
    }
}

namespace Alice.Admin.Disclosure;

/// <summary>
/// The linear span of the shown cells' 0/1 vectors while cells are hidden one by one, and which hidden
/// cells lie in it: those that adding and subtracting shown cells gives back.
/// </summary>
/// <remarks>
/// <para>
/// It keeps a basis of the span chosen among the shown cells; for each basis cell b a dual vector z_b,
/// 1 on b and 0 on the other basis cells, so that z_b · c is b's coefficient in any shown cell c; and a
/// basis of the annihilator, the vectors orthogonal to every shown cell. A vector is in the span when it
/// is orthogonal to the whole annihilator. Hiding a cell only shrinks the span, by at most one
/// direction, so the annihilator gains at most one vector, and only that vector can take a hidden cell
/// out of the span; a cell once out never comes back. Each hiding thus costs a few vector operations
/// instead of a new elimination.
/// </para>
/// <para>
/// Arithmetic is modulo the prime p = 2^61 − 1, where every number fits in a ulong (exact fractions grow
/// without bound). That gives the answer over the rationals unless p divides certain minors of the 0/1
/// matrix, and then it can be wrong in either direction. Calling a recoverable cell unrecoverable is the
/// dangerous one: by Cramer's rule the combination of shown cells that gives it back has as its only
/// denominator any nonzero r×r minor of the shown cells (r their rank), and it holds modulo p unless p
/// divides that minor; so p would have to divide every nonzero r×r minor of the shown cells at once.
/// The other error, p dividing a minor of the shown cells together with the hidden one, only hides a
/// cell more than needed. A 0/1 r×r determinant is at most (r + 1)^((r + 1)/2) / 2^r (Hadamard), below p
/// up to r = 36, so smaller tables are exact for certain. For a year of weekly cells nothing here proves
/// the dangerous case impossible, only very unlikely (a multiple of p ≈ 2.3·10^18 dividing all those
/// minors); the tests compare the outcome with exact rational arithmetic.
/// </para>
/// </remarks>
internal sealed class ShownSpan
{
    private const ulong P = (1UL << 61) - 1;

    private readonly IReadOnlyList<IReadOnlyList<int>> _cells;
    private readonly bool[] _shown;
    private readonly ulong[]?[] _dual;
    private readonly List<ulong[]> _annihilator = [];
    private readonly SortedSet<int> _recoverable = [];

    /// <summary>Every cell shown. A cell is the list of its variables, each below <paramref name="dimension"/>, once.</summary>
    public ShownSpan(IReadOnlyList<IReadOnlyList<int>> cells, int dimension)
    {
        _cells = cells;
        _shown = new bool[cells.Count];
        _dual = new ulong[]?[cells.Count];
        for (var j = 0; j < dimension; j++)
        {
            var unit = new ulong[dimension];
            unit[j] = 1;
            _annihilator.Add(unit);
        }
        // Fewest variables first: base cells take the unit vectors as duals and the sums join no basis,
        // which keeps the vectors sparse.
        foreach (var i in Enumerable.Range(0, cells.Count).OrderBy(i => cells[i].Count))
            Show(i);
    }

    public bool IsShown(int cell) => _shown[cell];

    /// <summary>The lowest-numbered hidden cell that the shown ones give back, if any.</summary>
    public int? FirstRecoverable => _recoverable.Count == 0 ? null : _recoverable.Min;

    public void Hide(int cell)
    {
        _shown[cell] = false;
        var z = _dual[cell];
        if (z is null)
        {
            // Not in the basis: the basis still spans it.
            _recoverable.Add(cell);
            return;
        }
        _dual[cell] = null;
        var heir = Enumerable.Range(0, _cells.Count).FirstOrDefault(t => _shown[t] && _dual[t] is null && Dot(z, t) != 0, -1);
        if (heir >= 0)
        {
            // A shown cell that uses this one takes its place in the basis: the span is unchanged.
            Pivot(z, heir);
            _recoverable.Add(cell);
        }
        else
        {
            // No shown cell uses it, so z is now orthogonal to all of them: the span lost its direction.
            _annihilator.Add(z);
            _recoverable.RemoveWhere(h => Dot(z, h) != 0);
        }
    }

    private void Show(int cell)
    {
        _shown[cell] = true;
        var k = _annihilator.FindIndex(a => Dot(a, cell) != 0);
        if (k < 0)
            return;
        var z = _annihilator[k];
        _annihilator.RemoveAt(k);
        Pivot(z, cell);
    }

    // Makes z the dual of cell (z · cell = 1) and clears cell's component from every other dual and
    // annihilator vector. z must be 0 on the other basis cells, so their duals stay 1 on themselves, 0 on
    // the rest, and the annihilator stays orthogonal to the basis.
    private void Pivot(ulong[] z, int cell)
    {
        var scale = Power(Dot(z, cell), P - 2);
        for (var j = 0; j < z.Length; j++)
            z[j] = Multiply(z[j], scale);
        foreach (var d in _dual)
            if (d is not null)
                SubtractMultiple(d, Dot(d, cell), z);
        foreach (var a in _annihilator)
            SubtractMultiple(a, Dot(a, cell), z);
        _dual[cell] = z;
    }

    private ulong Dot(ulong[] vector, int cell)
    {
        ulong sum = 0;
        foreach (var j in _cells[cell])
            sum = Add(sum, vector[j]);
        return sum;
    }

    private static void SubtractMultiple(ulong[] target, ulong coefficient, ulong[] row)
    {
        if (coefficient == 0)
            return;
        for (var j = 0; j < target.Length; j++)
            if (row[j] != 0)
                target[j] = Add(target[j], P - Multiply(coefficient, row[j]));
    }

    private static ulong Add(ulong a, ulong b)
    {
        var sum = a + b;
        return sum >= P ? sum - P : sum;
    }

    // 2^61 ≡ 1 (mod p): the product's bits from 61 up fold back onto the low ones.
    private static ulong Multiply(ulong a, ulong b)
    {
        var product = (UInt128)a * b;
        var folded = ((ulong)product & P) + (ulong)(product >> 61);
        return folded >= P ? folded - P : folded;
    }

    private static ulong Power(ulong a, ulong exponent)
    {
        ulong result = 1;
        for (; exponent > 0; exponent >>= 1, a = Multiply(a, a))
            if ((exponent & 1) == 1)
                result = Multiply(result, a);
        return result;
    }
}

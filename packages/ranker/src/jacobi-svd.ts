/**
 * One-sided (Hestenes) Jacobi orthogonalization of the columns of a matrix, in place. On
 * return the columns are mutually orthogonal: column j equals σ_j·u_j, where σ_j are the
 * singular values and u_j the left singular vectors. Jacobi rotations give singular values
 * accurate relative to the largest one, which is what a relative cutoff needs.
 */
export function orthogonalizeColumns(columns: Float64Array[], maxSweeps = 60): Float64Array {
  const q = columns.length;
  const len = q === 0 ? 0 : columns[0]!.length;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let i = 0; i < q - 1; i++) {
      const ci = columns[i]!;
      for (let j = i + 1; j < q; j++) {
        const cj = columns[j]!;
        let a = 0;
        let b = 0;
        let g = 0;
        for (let r = 0; r < len; r++) {
          const x = ci[r]!;
          const y = cj[r]!;
          a += x * x;
          b += y * y;
          g += x * y;
        }
        if (g === 0 || Math.abs(g) <= 1e-15 * Math.sqrt(a * b)) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < len; r++) {
          const x = ci[r]!;
          const y = cj[r]!;
          ci[r] = c * x - s * y;
          cj[r] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    const cj = columns[j]!;
    let s = 0;
    for (let r = 0; r < len; r++) s += cj[r]! * cj[r]!;
    sigma[j] = Math.sqrt(s);
  }
  return sigma;
}

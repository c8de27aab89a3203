/**
 * The adversary of the anonymity property tests: exact linear algebra over everything shown.
 *
 * Every figure the API shows about a group G (count, sum or mean, each distribution bucket, eNPS,
 * the comments) is a linear function of G's indicator vector over people. Whoever holds the
 * figures of groups G1..Gn can therefore compute the same figure for any group whose indicator is
 * a linear combination of theirs (differences, sums, anything), and for nothing else. So the
 * attacker can compute an answer or an average of fewer than `threshold` people exactly when
 * some non-zero vector in the span of the shown indicators has fewer than `threshold` non-zero
 * entries. `smallestIsolatableGroup` searches for one exhaustively (rank tests with exact integer
 * elimination) and returns the people it would isolate.
 */

/** Rank of an integer matrix, exactly (fraction-free elimination with BigInt, rows kept small by their gcd). */
export const rankOf = (matrix: readonly (readonly number[])[]): number => {
  const rows = matrix.map((row) => row.map(BigInt));
  const columns = rows[0]?.length ?? 0;
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  let rank = 0;
  for (let column = 0; column < columns && rank < rows.length; column++) {
    const pivotIndex = rows.findIndex((row, index) => index >= rank && row[column] !== 0n);
    if (pivotIndex < 0) continue;
    [rows[rank], rows[pivotIndex]] = [rows[pivotIndex] as bigint[], rows[rank] as bigint[]];
    const pivot = rows[rank] as bigint[];
    for (let index = rank + 1; index < rows.length; index++) {
      const row = rows[index] as bigint[];
      const factor = row[column] as bigint;
      if (factor === 0n) continue;
      let divisor = 0n;
      for (let j = 0; j < columns; j++) {
        row[j] = (row[j] as bigint) * (pivot[column] as bigint) - factor * (pivot[j] as bigint);
        divisor = gcd(divisor, row[j] as bigint);
      }
      if (divisor > 1n) for (let j = 0; j < columns; j++) row[j] = (row[j] as bigint) / divisor;
    }
    rank++;
  }
  return rank;
};

/**
 * The smallest set of people (fewer than `threshold`) that some combination of the groups' figures
 * describes on its own, or null when there is none. Groups are sets of person ids.
 */
export const smallestIsolatableGroup = (groups: readonly ReadonlySet<string>[], threshold: number): string[] | null => {
  if (groups.length === 0) return null;
  // Every combination is constant on "atoms" (people in exactly the same groups): work on atoms.
  const signatureOf = new Map<string, string>();
  groups.forEach((group, index) => {
    for (const personId of group) signatureOf.set(personId, `${signatureOf.get(personId) ?? ''},${index}`);
  });
  const atoms = new Map<string, string[]>();
  for (const [personId, signature] of signatureOf) atoms.set(signature, [...(atoms.get(signature) ?? []), personId]);
  const atomList = [...atoms.values()];
  const matrix = groups.map((group) => atomList.map((atom) => (group.has(atom[0] as string) ? 1 : 0)));
  const fullRank = rankOf(matrix);
  const without = (excluded: ReadonlySet<number>) =>
    rankOf(matrix.map((row) => row.filter((_, index) => !excluded.has(index))));

  // Subsets of small atoms weighing under the threshold, lightest first: is one the support of a combination?
  const small = atomList
    .map((atom, index) => ({ index, weight: atom.length }))
    .filter((atom) => atom.weight < threshold);
  let best: string[] | null = null;
  const search = (start: number, chosen: number[], weight: number) => {
    if (chosen.length > 0 && (best === null || weight < best.length)) {
      if (without(new Set(chosen)) < fullRank) best = chosen.flatMap((index) => atomList[index] as string[]);
    }
    for (let next = start; next < small.length; next++) {
      const candidate = small[next] as { index: number; weight: number };
      if (weight + candidate.weight < threshold)
        search(next + 1, [...chosen, candidate.index], weight + candidate.weight);
    }
  };
  search(0, [], 0);
  return best;
};

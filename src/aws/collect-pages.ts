/** Every item of every page of one of the SDK's own paginators (`paginateListAccessKeys`, `paginateDescribeSnapshots`, …). */
export async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

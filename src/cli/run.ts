/** Placeholder until the CLI lands. */
export async function run(_argv: string[]): Promise<number> {
  return 0;
}

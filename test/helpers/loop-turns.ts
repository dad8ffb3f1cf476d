// Counts the turns of the event loop while `work` runs: a chain of setImmediate callbacks goes on
// for as long as it does. Work that yields between slices lets the chain advance; work done in
// one piece leaves it at 1.

export async function countTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { result: await work(), turns };
  } finally {
    running = false;
  }
}

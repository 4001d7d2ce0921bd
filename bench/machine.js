// The facts of the machine a benchmark ran on.
import { cpus, release, totalmem, type } from 'node:os';

/** CPU model, core count, memory, Node version, OS and date, as label and value pairs. */
export function machineFacts() {
  const processors = cpus();
  return [
    ['CPU', processors[0]?.model.trim() ?? 'unknown'],
    ['cores', String(processors.length)],
    ['memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['Node', process.version],
    ['OS', `${type()} ${release()} (${process.platform} ${process.arch})`],
    ['date', new Date().toISOString()],
  ];
}

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

export interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * The project's real ESLint configuration applied to probe sources at given paths (nothing is
 * written). It runs in a child process: the flat config is an ES module, which jest's module sandbox
 * cannot load. Also answers the configuration's LIB_LAYERS.
 */
export function lintProbes(probes: readonly { file: string; source: string }[]): { messages: LintMessage[][]; layers: string[][] } {
  const script = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    (async () => {
      const probes = JSON.parse(process.argv[1]);
      const eslint = new ESLint({ cwd: process.cwd() });
      const messages = [];
      for (const probe of probes) {
        const [result] = await eslint.lintText(probe.source, { filePath: path.join(process.cwd(), probe.file) });
        messages.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
      }
      const { LIB_LAYERS } = await import(require('node:url').pathToFileURL(path.join(process.cwd(), 'eslint.config.mjs')).href);
      process.stdout.write(JSON.stringify({ messages, layers: LIB_LAYERS }));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(probes)], { cwd: ROOT, encoding: 'utf8' }));
}

import { App, Validations, type AppProps } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OmakaseContractsStack } from './omakase-contracts-stack';
import { readDeploymentSettings } from './settings';

export const STACK_NAME = 'OmakaseContracts';

export interface ContractsAppOptions {
  /** Passed to the App: `context` and `outdir` in tests; the CLI supplies both otherwise. */
  appProps?: AppProps;
  /** Replaces every function's esbuild bundle; only the assertion tests use it. */
  functionCode?: Code;
}

/**
 * The CDK app as bin/app.ts and the assertion tests build it: one stack, context read
 * and checked, and cdk-nag's AWS Solutions pack as a validation plugin, so that every
 * synth fails on an unacknowledged finding.
 */
export function createContractsApp(options: ContractsAppOptions = {}): { app: App; stack: OmakaseContractsStack } {
  const app = new App(options.appProps);
  const settings = readDeploymentSettings((key) => app.node.tryGetContext(key));
  const stack = new OmakaseContractsStack(app, STACK_NAME, {
    description: 'omakase-contracts: contract lifecycle of セキュリティおまかせプラン',
    settings,
    ...(options.functionCode ? { functionCode: options.functionCode } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

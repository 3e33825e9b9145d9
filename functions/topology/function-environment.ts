/**
 * What Powertools reads from every function's environment: one definition, set on each
 * Lambda by the CDK stack and on the local stack's process by `npm start`, so that logs
 * and metrics name the same service and namespace in both.
 */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'omakase-contracts',
  POWERTOOLS_METRICS_NAMESPACE: 'OmakaseContracts',
  POWERTOOLS_LOG_LEVEL: 'INFO',
} as const;

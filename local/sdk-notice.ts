/**
 * Imported first by the command-line entry points (npm start, the sample sender, the
 * bench). The AWS SDK prints, at every client it builds, a notice that its releases after
 * January 2027 need Node 22; the versions package-lock.json pins run on Node 20, so on a
 * terminal the notice only hides the output that matters. Lambda runs Node 24 and never
 * prints it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

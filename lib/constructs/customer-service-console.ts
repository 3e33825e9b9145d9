import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  type CfnUserPoolClient,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { nagRef } from './nag';
import type { ConsoleAssets } from '../../console/build';
import { CONSOLE_SCOPES, type ConsoleConfig } from '../../console/src/config';
import { LOOKUP_RESOURCES } from '../../functions/http/routes';
import { CUSTOMER_SERVICE_GROUP } from '../../functions/http/lookup-request';

export interface CustomerServiceConsoleProps {
  /** The read-only lookup function, the same one the IAM API calls. */
  lookup: IFunction;
  /** The console's built files (console/build.ts). */
  assets: ConsoleAssets;
  /** Prefix of the Cognito managed-login domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  domainPrefix: string;
  throttle: { ratePerSecond: number; burst: number };
}

/**
 * The customer-service console on AWS (docs/interface.md §6): its static files in a
 * private bucket behind CloudFront (origin access control), staff signing in with a
 * Cognito user pool (managed login, authorization code with PKCE, TOTP MFA), and an
 * HTTP API in front of the lookup function that accepts only the pool's tokens, with
 * CORS for the console's origin alone. The lookup function itself refuses a token
 * outside the customer-service group (functions/http/lookup-request.ts).
 */
export class CustomerServiceConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly api: HttpApi;
  /** The console's origin, the one CORS allows. */
  readonly origin: string;
  /** The console's address: where staff open it, and where sign-in and sign-out return. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CustomerServiceConsoleProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL: the one reason this bucket keeps them.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the access logs of the console bucket and of CloudFront; logging it into itself would loop.',
    });

    // Only CloudFront reads it (OAC); the files are rebuilt from the repository, so nothing in it needs to outlive the stack.
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.userPool = new UserPool(this, 'Staff', {
      userPoolName: 'omakase-contracts-customer-service',
      // Staff accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new UserPoolGroup(this, 'CustomerServiceGroup', {
      userPool: this.userPool,
      groupName: CUSTOMER_SERVICE_GROUP,
      description: 'May look up contracts, quotes, charges, orders and renewals in the console',
    });

    const domain = new UserPoolDomain(this, 'SignInDomain', {
      userPool: this.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Customer-service console (docs/interface.md §6)',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders(domain.baseUrl()),
      },
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Staff sign in with a Cognito account and MFA before any data is shown; the files themselves hold no customer data, so no geo restriction.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves three static files; the data behind them is reached only with a customer-service token through the HTTP API.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The console uses the default *.cloudfront.net certificate (no custom domain), for which CloudFront fixes the viewer TLS policy; attach a custom domain and certificate to raise it.',
      },
    );

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'customer-service-console',
      // A browser cannot keep a secret: authorization code with PKCE only.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        // The scopes the console asks for (console/src/config.ts), and no others.
        scopes: CONSOLE_SCOPES.split(' ').map((scope) => OAuthScope.custom(scope)),
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    // Left unset, Cognito would also allow SRP and custom sign-in straight from a script, past managed login.
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    // Managed login (not the classic hosted UI) needs a branding per client; Cognito's own look will do.
    new CfnManagedLoginBranding(this, 'SignInBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.api = this.consoleApi(props);
    const config: ConsoleConfig = {
      apiUrl: this.api.apiEndpoint,
      signIn: { authority: domain.baseUrl(), clientId: this.client.userPoolClientId, redirectUri: this.url, scopes: CONSOLE_SCOPES },
    };
    this.deployFiles(props.assets, config);

    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: this.url });
    new CfnOutput(Stack.of(this), 'ConsoleApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(Stack.of(this), 'ConsoleUserPoolId', { value: this.userPool.userPoolId });
  }

  /** The lookups again, on an HTTP API whose every route needs a token of this user pool. */
  private consoleApi(props: CustomerServiceConsoleProps): HttpApi {
    const authorizer = new HttpUserPoolAuthorizer('StaffTokens', this.userPool, { userPoolClients: [this.client] });
    const api = new HttpApi(this, 'Api', {
      apiName: 'omakase-contracts-console',
      description: 'Customer-service lookups for the console (docs/interface.md §6): Cognito tokens of the customer-service group',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: [this.origin],
        allowMethods: [CorsHttpMethod.GET],
        allowHeaders: ['authorization', 'accept'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.jsonWithStandardFields() },
      throttle: { rateLimit: props.throttle.ratePerSecond, burstLimit: props.throttle.burst },
    });
    const integration = new HttpLambdaIntegration('Lookups', props.lookup);
    for (const resource of LOOKUP_RESOURCES) api.addRoutes({ path: resource, methods: [HttpMethod.GET], integration });
    return api;
  }

  /** The built files and their config.json, written to the bucket at deploy time, the cache cleared. */
  private deployFiles(assets: ConsoleAssets, config: ConsoleConfig): void {
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [...(Object.entries(assets) as [string, string][]).map(([name, text]) => Source.data(name, text)), Source.jsonData('config.json', config)],
      // The names are fixed, not hashed: every file is revalidated, and a deployment clears CloudFront's copies.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    this.acknowledgeDeployment();
  }

  /**
   * The page may load only its own files and talk only to API Gateway and the sign-in
   * domain. API Gateway by wildcard: naming this API would make the distribution depend
   * on the API, whose CORS origin is the distribution's address.
   */
  private securityHeaders(authority: string): ResponseHeadersPolicy {
    const csp = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' https://*.execute-api.${Stack.of(this).region}.amazonaws.com ${authority}`,
      `form-action 'self' ${authority}`,
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    return new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Console security headers: CSP limited to the console API and the sign-in domain',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
  }

  /** BucketDeployment's own copying function (a stack-level singleton of aws-cdk-lib), as aws-cdk-lib builds it. */
  private acknowledgeDeployment(): void {
    const stack = Stack.of(this);
    const copier = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!copier) throw new Error('aws-cdk-lib no longer names its BucketDeployment function Custom::CDKBucketDeployment…: review its acknowledgements');
    const copying = 'copies the assets into the console bucket at deploy time';
    Validations.of(copier).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: `aws-cdk-lib fixes the runtime of its BucketDeployment function, which only ${copying}; it is updated with aws-cdk-lib.`,
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The log-writing policy AWS maintains for Lambda functions, on the function that ' + copying + '.',
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `Read actions of grantRead on the CDK asset bucket and the console bucket only, for the function that ${copying}.`,
      })),
      ...['s3:Abort*', 's3:DeleteObject*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `Write actions of grantReadWrite on the console bucket only: a deployment replaces the files and removes the ones no longer built.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`,
        reason: 'The objects of the CDK bootstrap asset bucket, where the console files are staged before the copy.',
      },
      { id: `AwsSolutions-IAM5[Resource::${nagRef(this.bucket, 'Arn')}/*]`, reason: 'Every object of the console bucket: the function writes the whole site.' },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudfront:CreateInvalidation and GetInvalidation, which take no resource narrower than * in the policy BucketDeployment writes; they clear the console distribution after a copy.',
      },
    );
  }
}

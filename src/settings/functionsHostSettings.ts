import type { SettingDeclaration } from './declaration';

/** Settings only the Functions host reads; the app never does, so they carry no schema. */
export const functionsHostDeclarations = [
  {
    name: 'FUNCTIONS_WORKER_RUNTIME',
    class: 'host',
    doc: 'The language worker the Functions host starts: `node`.',
  },
  {
    name: 'AzureWebJobsStorage__credential',
    class: 'host',
    doc: 'How the host reaches storage by identity: `managedidentity`, with `AzureWebJobsStorage__clientId` for a user-assigned one.',
  },
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
    class: 'host',
    secret: true,
    doc: 'Where the host sends logs and telemetry (Application Insights).',
  },
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    class: 'host',
    doc: 'How the host authenticates to Application Insights with Microsoft Entra ID (`Authorization=AAD`, optional `ClientId`).',
  },
] as const satisfies readonly SettingDeclaration[];

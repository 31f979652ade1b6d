import { modulesOf, parseBicep, propertyOf, resourcesOf, stringValue } from './bicep';
import type { InfraSnapshot } from './infraSnapshot';

/** A role the app or the host needs, the setting that makes it needed, and where it applies. */
export interface NeededRole {
  /** Key in infra/roles.json. */
  readonly key: string;
  /** Built-in role definition id, as Microsoft's role reference lists it. */
  readonly id: string;
  readonly scopeType: string;
  readonly neededFor: string;
}

const storageAccount = 'Microsoft.Storage/storageAccounts';

export const neededRoles: readonly NeededRole[] = [
  {
    key: 'storageTableDataContributor',
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    scopeType: storageAccount,
    neededFor: 'AzureWebJobsStorage__tableServiceUri',
  },
  {
    key: 'storageQueueDataContributor',
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    scopeType: storageAccount,
    neededFor: 'AzureWebJobsStorage__queueServiceUri',
  },
  {
    key: 'storageBlobDataOwner',
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    scopeType: storageAccount,
    neededFor: 'AzureWebJobsStorage__blobServiceUri',
  },
  {
    key: 'iotHubDataContributor',
    id: '4fc6c259-987e-4a07-842e-c321cc9d413f',
    scopeType: 'Microsoft.Devices/IotHubs',
    neededFor: 'IOTHUB_HOST_NAME',
  },
  {
    key: 'monitoringMetricsPublisher',
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
    scopeType: 'Microsoft.Insights/components',
    neededFor: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  },
];

/** A role assignment as a Bicep file declares it. */
export interface RoleAssignment {
  readonly file: string;
  readonly roleKey: string | undefined;
  readonly scopeType: string | undefined;
  readonly principal: string | undefined;
  readonly principalType: string | undefined;
}

export function roleAssignmentsOf(snapshot: InfraSnapshot): RoleAssignment[] {
  return snapshot.bicep.flatMap(({ file, text }) => {
    const resources = resourcesOf(parseBicep(text));
    const typeOf = new Map(resources.map((resource) => [resource.symbol, resource.type]));
    return resources
      .filter((resource) => resource.type === 'Microsoft.Authorization/roleAssignments')
      .map((resource) => {
        const properties = propertyOf(resource.body, 'properties');
        const definition = propertyOf(properties, 'roleDefinitionId')?.text ?? '';
        return {
          file,
          roleKey: /\broles\.(\w+)/.exec(definition)?.[1],
          scopeType: typeOf.get(propertyOf(resource.body, 'scope')?.text ?? ''),
          principal: propertyOf(properties, 'principalId')?.text,
          principalType: stringValue(propertyOf(properties, 'principalType')),
        };
      });
  });
}

/** Which needed roles are missing, mis-identified, mis-scoped or granted to someone else. */
export function roleProblems(snapshot: InfraSnapshot): string[] {
  const assignments = roleAssignmentsOf(snapshot);
  const problems: string[] = [];
  for (const role of neededRoles) {
    if (snapshot.roles[role.key] !== role.id) {
      problems.push(
        `roles.json gives ${role.key} the id ${snapshot.roles[role.key]}, not ${role.id}`,
      );
    }
    const granted = assignments.filter(
      (a) => a.roleKey === role.key && a.scopeType === role.scopeType,
    );
    if (granted.length === 0) {
      problems.push(`${role.key} (for ${role.neededFor}) is not assigned on a ${role.scopeType}`);
    }
  }
  for (const a of assignments) {
    if (a.principal !== 'principalId' || a.principalType !== 'ServicePrincipal') {
      problems.push(
        `${a.file}: ${a.roleKey} is not granted to the identity's principalId as a ServicePrincipal`,
      );
    }
    if (a.roleKey === undefined || !(a.roleKey in snapshot.roles)) {
      problems.push(`${a.file}: a role assignment's roleDefinitionId is not one of roles.json`);
    }
  }
  return [...problems, ...principalProblems(snapshot)];
}

/** Every module that grants roles receives the one identity's principal id from main.bicep. */
function principalProblems(snapshot: InfraSnapshot): string[] {
  const main = snapshot.bicep.find((file) => file.file === 'main.bicep');
  if (main === undefined) return ['infra/main.bicep is missing'];
  return modulesOf(parseBicep(main.text)).flatMap((module) => {
    const principal = propertyOf(propertyOf(module.body, 'params'), 'principalId')?.text;
    return principal === undefined || principal === 'identity.outputs.principalId'
      ? []
      : [
          `main.bicep passes module ${module.symbol} the principal ${principal}, not the app's identity`,
        ];
  });
}

/** The settings that make a role needed are the ones infra sets (the role table is not stale). */
export function neededForProblems(set: ReadonlySet<string>): string[] {
  return neededRoles
    .filter((role) => !set.has(role.neededFor))
    .map((role) => `${role.key} is needed for ${role.neededFor}, which infra does not set`);
}

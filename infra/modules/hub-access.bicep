// Deployed to the hub's resource group: grants the app's identity the hub's data plane and
// reads what the app settings need (host name, tier, units), for a new or an existing hub.
param hubName string
@description('Principal id of the identity that runs and polls the hub\'s jobs.')
param principalId string

var roles = loadJsonContent('../roles.json')

resource hub 'Microsoft.Devices/IotHubs@2023-06-30' existing = {
  name: hubName
}

// Jobs (create, read, cancel), twins, direct methods and device queries.
resource hubData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hub.id, principalId, roles.iotHubDataContributor)
  scope: hub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.iotHubDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output hostName string = hub.properties.hostName
output tier string = hub.sku.name
output units int = hub.sku.?capacity ?? 1

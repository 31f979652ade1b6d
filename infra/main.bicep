// hubjobs in one resource group: a Flex Consumption function app, its storage, monitoring, one
// user-assigned identity with the roles it needs, and a new or an existing IoT Hub
// (docs/deployment.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every new resource; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Name of an existing IoT Hub to use; empty creates a new hub.')
param existingHubName string = ''

@description('Resource group of the existing hub; empty means the resource group created here.')
param existingHubResourceGroupName string = ''

@description('Tier of a new hub (F1 and S1-S3 run jobs).')
@allowed(['F1', 'S1', 'S2', 'S3'])
param hubSku string = 'S1'

@description('Units of a new hub; each unit adds to the hub\'s per-minute quotas.')
@minValue(1)
@maxValue(200)
param hubUnits int = 1

@description('A new hub refuses its shared access policies, so it is reached with Entra ID only.')
param hubDisableLocalAuth bool = true

@description('Most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var deploymentContainerName = 'app-package-${resourceToken}'
var newHubName = 'iot-hubjobs-${resourceToken}'
var useExistingHub = !empty(existingHubName)

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: group
  params: {
    name: 'id-hubjobs-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: group
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    workspaceName: 'log-hubjobs-${resourceToken}'
    appInsightsName: 'appi-hubjobs-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module newHub 'modules/iot-hub.bicep' = if (!useExistingHub) {
  name: 'iot-hub'
  scope: group
  params: {
    name: newHubName
    location: location
    tags: tags
    skuName: hubSku
    units: hubUnits
    disableLocalAuth: hubDisableLocalAuth
  }
}

// Runs where the hub lives, so an existing hub in another resource group gets its role there.
module hubAccess 'modules/hub-access.bicep' = {
  name: 'hub-access'
  scope: resourceGroup(useExistingHub && !empty(existingHubResourceGroupName) ? existingHubResourceGroupName : group.name)
  params: {
    hubName: useExistingHub ? existingHubName : newHubName
    principalId: identity.outputs.principalId
  }
  dependsOn: [newHub]
}

module api 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: group
  params: {
    name: 'func-hubjobs-${resourceToken}'
    planName: 'plan-hubjobs-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    hubHostName: hubAccess.outputs.hostName
    hubTier: hubAccess.outputs.tier
    hubUnits: hubAccess.outputs.units
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}/api'
output AZURE_IOTHUB_HOST_NAME string = hubAccess.outputs.hostName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.name

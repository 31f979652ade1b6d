// The Flex Consumption function app (Node 22), running as the user-assigned identity.
param name string
param planName string
param location string
param tags object
@description('The azure.yaml service this app hosts.')
param serviceName string
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param hubHostName string
param hubTier string
param hubUnits int
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// The settings by class live in data the tests read; each {{name}} in a value is one of these.
// They are replaced in the settings' JSON text, so none may hold a quote or a backslash (none
// does: host names, ids, URLs, a connection string of key=value pairs).
var settingsByClass = loadJsonContent('../app-settings.json')
var placeholders = {
  hubHostName: hubHostName
  hubTier: hubTier
  hubUnits: string(hubUnits)
  identityClientId: identityClientId
  tableServiceUri: storageTableEndpoint
  queueServiceUri: storageQueueEndpoint
  blobServiceUri: storageBlobEndpoint
  deploymentContainer: deploymentContainerName
  appInsightsConnectionString: appInsightsConnectionString
}
var settingsTemplate = string(union(settingsByClass.app, settingsByClass.shared, settingsByClass.host))
var appSettings = json(reduce(items(placeholders), settingsTemplate, (text, placeholder) => replace(text, '{{${placeholder.key}}}', placeholder.value)))

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName

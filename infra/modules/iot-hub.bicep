// A new IoT Hub; F1 and S1-S3 run jobs (the basic tiers do not).
param name string
param location string
param tags object
@allowed(['F1', 'S1', 'S2', 'S3'])
param skuName string
@minValue(1)
param units int
@description('Refuse the hub\'s shared access policies, so the hub is reached with Entra ID only.')
param disableLocalAuth bool

resource hub 'Microsoft.Devices/IotHubs@2023-06-30' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: units
  }
  properties: {
    disableLocalAuth: disableLocalAuth
  }
}

output name string = hub.name

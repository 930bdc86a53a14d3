/**
 * Every cmdlet the exported script may call, with the parameters it may pass them: the spec's
 * section 21 (R180 New-SendConnector, R181 New-/Set-ReceiveConnector, R183 Set-AdSite and
 * Set-AdSiteLink, R184 accepted and remote domains, R185 New-EdgeSubscription, R186
 * Set-TransportConfig and Set-TransportService) and Microsoft's Exchange PowerShell reference
 * (learn.microsoft.com/powershell/module/exchange/: New-DatabaseAvailabilityGroup,
 * Add-DatabaseAvailabilityGroupServer, New-MailboxDatabase, Mount-Database, Add-MailboxDatabaseCopy,
 * Get-ReceiveConnector, Add-ADPermission, Set-RecipientFilterConfig) plus Get-Credential
 * (Microsoft.PowerShell.Security). Written from those pages, not from mxt's key names, so that a
 * mis-mapped key cannot pass the test that checks every line of a script against this list.
 */

const SEND_CONNECTOR = [
  'Name', 'AddressSpaces', 'Usage', 'SourceTransportServers', 'DNSRoutingEnabled', 'SmartHosts', 'SmartHostAuthMechanism', 'AuthenticationCredential',
  'Port', 'IsScopedConnector', 'MaxMessageSize', 'Enabled', 'Fqdn', 'ForceHELO', 'FrontendProxyEnabled', 'IgnoreSTARTTLS', 'RequireTLS', 'TlsAuthLevel',
  'TlsDomain', 'TlsCertificateName', 'DomainSecureEnabled', 'UseExternalDNSServersEnabled', 'ConnectionInactivityTimeOut', 'SmtpMaxMessagesPerConnection',
  'SourceIPAddress', 'ProtocolLoggingLevel', 'ErrorPolicies', 'CloudServicesMailEnabled', 'ConnectorType', 'Comment',
];

const RECEIVE_CONNECTOR_SETTINGS = [
  'Bindings', 'RemoteIPRanges', 'PermissionGroups', 'AuthMechanism', 'Fqdn', 'Banner', 'MaxMessageSize', 'MaxHeaderSize', 'MaxRecipientsPerMessage',
  'MaxHopCount', 'MaxLocalHopCount', 'MaxInboundConnection', 'MaxInboundConnectionPerSource', 'MaxInboundConnectionPercentagePerSource', 'MaxLogonFailures',
  'MaxProtocolErrors', 'MessageRateLimit', 'MessageRateSource', 'ConnectionTimeout', 'ConnectionInactivityTimeout', 'TarpitInterval', 'AuthTarpitInterval',
  'RequireTLS', 'RequireEHLODomain', 'EnableAuthGSSAPI', 'ExtendedProtectionPolicy', 'SizeEnabled', 'PipeliningEnabled', 'DeliveryStatusNotificationEnabled',
  'EnhancedStatusCodesEnabled', 'EightBitMimeEnabled', 'BinaryMimeEnabled', 'ChunkingEnabled', 'LongAddressesEnabled', 'OrarEnabled', 'SuppressXAnonymousTls',
  'DomainSecureEnabled', 'TlsCertificateName', 'TlsDomainCapabilities', 'DefaultDomain', 'AdvertiseClientSettings', 'ProtocolLoggingLevel',
  'RejectReservedTopLevelRecipientDomains', 'RejectReservedSecondLevelRecipientDomains', 'RejectSingleLabelRecipientDomains', 'ServiceDiscoveryFqdn',
  'Enabled', 'Comment',
];

const TRANSPORT_SERVICE = [
  'Identity', 'MessageExpirationTimeout', 'DelayNotificationTimeout', 'TransientFailureRetryCount', 'TransientFailureRetryInterval',
  'OutboundConnectionFailureRetryInterval', 'MessageRetryInterval', 'QueueMaxIdleTime', 'QueueGlitchRetryCount', 'QueueGlitchRetryInterval',
  'MailboxDeliveryQueueRetryInterval', 'MaxIdleTimeBeforeResubmit', 'MaxOutboundConnections', 'MaxPerDomainOutboundConnections',
  'MaxConnectionRatePerMinute', 'ExternalDNSServers', 'InternalDNSServers',
];

export const KNOWN_CMDLETS: Readonly<Record<string, readonly string[]>> = {
  'Set-TransportConfig': [
    'MaxReceiveSize', 'MaxSendSize', 'MaxRecipientEnvelopeLimit', 'ExternalDelayDSNEnabled', 'InternalDelayDSNEnabled', 'ShadowRedundancyEnabled',
    'RejectMessageOnShadowFailure', 'ShadowMessagePreferenceSetting', 'SafetyNetHoldTime', 'InternalSMTPServers', 'TLSSendDomainSecureList',
    'TLSReceiveDomainSecureList',
  ],
  'Set-AdSite': ['Identity', 'HubSiteEnabled', 'InboundMailEnabled'],
  'Set-AdSiteLink': ['Identity', 'ExchangeCost', 'MaxMessageSize'],
  'Set-TransportService': TRANSPORT_SERVICE,
  'New-DatabaseAvailabilityGroup': ['Name', 'WitnessServer', 'WitnessDirectory'],
  'Add-DatabaseAvailabilityGroupServer': ['Identity', 'MailboxServer'],
  'New-MailboxDatabase': ['Name', 'Server'],
  'Mount-Database': ['Identity'],
  'Add-MailboxDatabaseCopy': ['Identity', 'MailboxServer', 'ActivationPreference'],
  'New-AcceptedDomain': ['Name', 'DomainName', 'DomainType'],
  'Set-AcceptedDomain': ['Identity', 'DomainType', 'AddressBookEnabled', 'MakeDefault', 'MatchSubDomains'],
  'New-RemoteDomain': ['Name', 'DomainName'],
  'New-SendConnector': SEND_CONNECTOR,
  'New-ReceiveConnector': ['Name', 'Server', 'Usage', 'TransportRole', ...RECEIVE_CONNECTOR_SETTINGS],
  'Set-ReceiveConnector': ['Identity', ...RECEIVE_CONNECTOR_SETTINGS, 'BareLinefeedRejectionEnabled', 'SmtpUtf8Enabled'],
  'Get-ReceiveConnector': ['Identity'],
  'Add-ADPermission': ['User', 'ExtendedRights'],
  'Set-RecipientFilterConfig': ['RecipientValidationEnabled'],
  'New-EdgeSubscription': ['FileName', 'FileData', 'Site', 'CreateInternetSendConnector', 'CreateInboundSendConnector'],
  'Get-Credential': ['UserName', 'Message'],
};

/**
 * ATT&CK mitigations (M-ids) for the techniques these rules see most, so the offline engine can name them
 * without MITRE's full bundle. Facts only (IDs and names, ATT&CK v18.1 "mitigates" relationships), the
 * most actionable few per technique; a test checks every pair against the bundle in ../shared. With
 * ATTACK_STIX_PATH configured, the bundle's own list is used instead.
 */
export const mitigationNames: Readonly<Record<string, string>> = {
  M1015: 'Active Directory Configuration',
  M1017: 'User Training',
  M1018: 'User Account Management',
  M1021: 'Restrict Web-Based Content',
  M1022: 'Restrict File and Directory Permissions',
  M1025: 'Privileged Process Integrity',
  M1026: 'Privileged Account Management',
  M1027: 'Password Policies',
  M1028: 'Operating System Configuration',
  M1031: 'Network Intrusion Prevention',
  M1032: 'Multi-factor Authentication',
  M1035: 'Limit Access to Resource Over Network',
  M1036: 'Account Use Policies',
  M1037: 'Filter Network Traffic',
  M1038: 'Execution Prevention',
  M1040: 'Behavior Prevention on Endpoint',
  M1041: 'Encrypt Sensitive Information',
  M1042: 'Disable or Remove Feature or Program',
  M1043: 'Credential Access Protection',
  M1045: 'Code Signing',
  M1047: 'Audit',
  M1049: 'Antivirus/Antimalware',
  M1052: 'User Account Control',
  M1053: 'Data Backup',
  M1054: 'Software Configuration',
  M1057: 'Data Loss Prevention',
};

export const techniqueMitigations: Readonly<Record<string, readonly string[]>> = {
  'T1003.001': ['M1043', 'M1025', 'M1040', 'M1026'],
  'T1003.006': ['M1015', 'M1026', 'M1027'],
  T1003: ['M1043', 'M1025', 'M1026'],
  T1486: ['M1053', 'M1040'],
  T1490: ['M1053', 'M1028', 'M1038'],
  'T1059.001': ['M1042', 'M1045', 'M1038', 'M1026'],
  T1566: ['M1049', 'M1021', 'M1031', 'M1017'],
  'T1566.001': ['M1049', 'M1021', 'M1031', 'M1017'],
  'T1566.002': ['M1021', 'M1054', 'M1017'],
  'T1204.001': ['M1021', 'M1031', 'M1017'],
  T1078: ['M1032', 'M1026', 'M1036', 'M1027'],
  'T1078.004': ['M1032', 'M1026', 'M1036'],
  T1110: ['M1032', 'M1036', 'M1027'],
  'T1110.003': ['M1032', 'M1036', 'M1027'],
  T1621: ['M1032', 'M1036', 'M1017'],
  'T1114.003': ['M1042', 'M1047', 'M1041'],
  'T1564.008': ['M1047'],
  'T1021.002': ['M1035', 'M1037', 'M1026'],
  T1570: ['M1031', 'M1037'],
  'T1569.002': ['M1040', 'M1026', 'M1022'],
  'T1550.002': ['M1026', 'M1052', 'M1018'],
  'T1558.003': ['M1027', 'M1026', 'M1041'],
  'T1071.001': ['M1031', 'M1037'],
  T1105: ['M1031', 'M1037'],
  'T1053.005': ['M1028', 'M1026', 'M1047'],
  T1055: ['M1040', 'M1026'],
  T1530: ['M1032', 'M1018', 'M1047'],
  'T1213.002': ['M1018', 'M1047'],
  'T1090.003': ['M1037'],
  T1048: ['M1057', 'M1037', 'M1031'],
  T1567: ['M1057', 'M1021'],
};

/** The curated mitigations for a technique, falling back to its parent's; empty when neither is known. */
export function curatedMitigations(techniqueId: string): Array<{ id: string; name: string }> {
  const ids = techniqueMitigations[techniqueId] ?? techniqueMitigations[techniqueId.split('.')[0]] ?? [];
  return ids.map((id) => ({ id, name: mitigationNames[id] ?? id }));
}

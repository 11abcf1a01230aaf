package render

// Sample credentials New runs an issuer's templates on, so that a template
// that fails on some certificate fails at load: one with every field a
// certificate shows, one with only what the spec requires. They are not
// signed: rendering does not verify.
var (
	sampleFull = []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "https://example.edu/credentials/3732",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"], "name": "Example University", "url": "https://example.edu",
    "image": {"id": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "type": "Image"}},
  "validFrom": "2026-01-01T00:00:00Z",
  "validUntil": "2030-01-01T00:00:00Z",
  "awardedDate": "2025-12-20T00:00:00Z",
  "name": "Teamwork Badge",
  "evidence": [{"id": "https://example.edu/evidence/1", "type": ["Evidence"], "name": "Project", "description": "The final project."}],
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "hashed": false, "identityHash": "Ada Lovelace", "identityType": "name"}],
    "creditsEarned": 3.5,
    "result": [{"type": ["Result"], "resultDescription": "https://example.edu/achievements/1/results/1", "value": "A"},
      {"type": ["Result"], "status": "Completed"}],
    "achievement": {
      "id": "https://example.edu/achievements/1", "type": ["Achievement"], "achievementType": "Certificate",
      "name": "Teamwork", "description": "Works well with others.",
      "criteria": {"id": "https://example.edu/achievements/1/criteria", "narrative": "Complete the team project."},
      "image": {"id": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "type": "Image", "caption": "The Teamwork badge"},
      "alignment": [{"type": ["Alignment"], "targetName": "Collaboration", "targetUrl": "https://example.edu/skills/collaboration"}],
      "resultDescription": [{"id": "https://example.edu/achievements/1/results/1", "type": ["ResultDescription"], "name": "Grade", "resultType": "LetterGrade"}]
    }
  }
}`)
	sampleBare = []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": "did:example:issuer",
  "validFrom": "2026-01-01T00:00:00Z",
  "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:1", "type": ["Achievement"], "name": "A", "description": "B", "criteria": {"narrative": "C"}}}
}`)
)

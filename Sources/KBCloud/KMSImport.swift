import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// Keys with imported key material (kms/importing-keys.md): created with Origin
/// EXTERNAL in the PendingImport state, usable once material is imported, and
/// PendingImport again when it is deleted or expires. AWS has the caller wrap
/// the material with the public key GetParametersForImport returns; the engine
/// takes the material as it would be once unwrapped, and models neither the
/// wrapping key nor the import token.
extension KMS {
    /// ImportKeyMaterial: 256 bits for a symmetric key. A key takes only the
    /// material first imported into it; `validTo` makes it expire.
    public func importKeyMaterial(_ origin: Origin, keyId: String, keyMaterial: [UInt8], validTo: Date? = nil)
        throws(ServiceError) -> Traced<Void>
    {
        guard keyMaterial.count == 32 else {
            throw ServiceError("ValidationException", "Symmetric encryption key material must be 256 bits.")
        }
        return try changeState(origin, keyId: keyId, action: "kms:ImportKeyMaterial") {
            key, now throws(ServiceError) in
            guard key.isExternal else {
                throw ServiceError(
                    "UnsupportedOperationException",
                    "\(key.arn) origin is AWS_KMS which is not valid for this operation.")
            }
            if case .pendingDeletion = key.state { throw Self.pendingDeletion(key) }
            if let validTo, validTo <= now {
                throw ServiceError("ValidationException", "ValidTo must be a time in the future.")
            }
            let material = SymmetricKey(data: keyMaterial)
            // Reimporting needs the same material: ciphertexts depend on it.
            if let first = key.firstImported, first != material {
                throw ServiceError(
                    "IncorrectKeyMaterialException",
                    "The key material in the request is not the key material previously imported into \(key.arn).")
            }
            key.firstImported = material
            key.materials = [material]
            key.materialExpires = validTo
            key.expirationModel = validTo == nil ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES"
            if case .pendingImport = key.state { key.state = .enabled }
        }
    }

    /// DeleteImportedKeyMaterial: the key becomes unusable (PendingImport) until
    /// the same material is imported again; a key pending deletion stays so.
    public func deleteImportedKeyMaterial(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        try changeState(origin, keyId: keyId, action: "kms:DeleteImportedKeyMaterial") { key, _ throws(ServiceError) in
            guard key.isExternal else {
                throw ServiceError(
                    "UnsupportedOperationException",
                    "\(key.arn) origin is AWS_KMS which is not valid for this operation.")
            }
            key.materials = []
            key.materialExpires = nil
            if case .pendingDeletion = key.state { return }
            key.state = .pendingImport
        }
    }
}

//! A canary secret never appears in `Debug` output of the models that carry
//! secrets, however they are nested or decoded, nor in decode errors.

use msgraph_sync::models::*;

const CANARY: &str = "canary-s3cret-7f1e";

fn secret() -> SynchronizationSecretKeyStringValuePair {
    SynchronizationSecretKeyStringValuePair::default()
        .key(SynchronizationSecret::SecretToken)
        .value(CANARY)
}

fn assert_hidden(label: &str, debug: String) {
    assert!(!debug.contains(CANARY), "{label} leaks the secret: {debug}");
    assert!(
        debug.contains("<redacted>"),
        "{label} should show <redacted>: {debug}"
    );
}

#[test]
fn secrets_are_redacted_in_debug() {
    assert_hidden("pair", format!("{:?}", secret()));
    assert_hidden("pair (pretty)", format!("{:#?}", secret()));
    let synchronization = Synchronization::default().secrets([secret()]);
    assert_hidden("synchronization", format!("{synchronization:?}"));
    let validate = ValidateCredentialsParameters::default().credentials([secret()]);
    assert_hidden("validateCredentials parameters", format!("{validate:#?}"));
    let acquire = AcquireAccessTokenParameters::default().credentials([secret()]);
    assert_hidden("acquireAccessToken parameters", format!("{acquire:?}"));
}

#[test]
fn secrets_decoded_through_the_registry_are_redacted() {
    let json = format!(r#"{{"secrets":[{{"key":"Password","value":"{CANARY}"}}]}}"#);
    let decoded = AnyModel::decode("microsoft.graph.synchronization", &json).expect("decode");
    assert_hidden("registry value", format!("{decoded:?}"));
    // The value itself is kept for sending.
    assert!(
        serde_json::to_string(&decoded)
            .expect("encode")
            .contains(CANARY)
    );
}

#[test]
fn decode_errors_do_not_quote_secrets() {
    // A secret where a number belongs, and a malformed document around a secret.
    let wrong_type = format!(
        r#"{{"secrets":[{{"key":"Password","value":"x"}}],"jobs":[{{"status":{{"countSuccessiveCompleteFailures":"{CANARY}"}}}}]}}"#
    );
    let truncated = format!(r#"{{"secrets":[{{"key":"Password","value":"{CANARY}"#);
    for json in [wrong_type, truncated] {
        let err =
            AnyModel::decode("microsoft.graph.synchronization", &json).expect_err("must fail");
        assert!(!err.to_string().contains(CANARY), "{err}");
        assert!(!format!("{err:?}").contains(CANARY), "{err:?}");
    }
}

//! Organisation instruments on both engines: definitions and text packs are validated before
//! they are stored, audited when they are, and come back as a registry with wording attached.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate circlework_store as store;

use jiff::Timestamp;
use measures::{Origin, TextOrigin};
use store::{
    AuditContext, AuditFilter, Backend, SharedStore, StoreError,
    testing::{TempDatabase, postgres_or_skip},
};

fn by() -> AuditContext {
    AuditContext::system(
        "test",
        "cli",
        "2026-03-02T18:00:00Z".parse::<Timestamp>().unwrap(),
    )
}

async fn open(backend: Backend, test: &str) -> Option<(SharedStore, TempDatabase)> {
    let admin_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(postgres_or_skip(test)?),
    };
    let db = TempDatabase::for_backend(backend, admin_url.as_deref())
        .await
        .unwrap();
    let store = store::open(&db.url).await.unwrap();
    Some((store, db))
}

/// Runs each story as two tests, `sqlite::name` and `postgres::name`.
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some((store, _db)) = super::open(store::Backend::Sqlite, stringify!($name)).await {
                    super::$name(store).await;
                }
            })+
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some((store, _db)) = super::open(store::Backend::Postgres, stringify!($name)).await {
                    super::$name(store).await;
                }
            })+
        }
    };
}

on_both!(
    organisation_definitions_are_validated_stored_and_audited,
    text_packs_attach_wording_and_replace_earlier_wording,
);

fn org_definition(id: &str, version: u32) -> String {
    format!(
        "id = \"{id}\"\nversion = {version}\ntitle = \"Session check-in\"\n\
         [licence]\nstatus = \"permission\"\nembed_text = false\n\
         [response]\nmin = 0\nmax = 10\n\
         [[items]]\nn = 1\nkey = \"relationship\"\nlabel = \"Relationship\"\n\
         [[items]]\nn = 2\nkey = \"goals\"\nlabel = \"Goals\"\n\
         [total]\nmethod = \"sum\"\ndirection = \"higher_better\"\n\
         [missing]\nmax_missing = 0\nsource = \"all items needed\"\n"
    )
}

fn gcqs_pack(prefix: &str) -> String {
    let mut text =
        String::from("instrument = \"gcqs\"\nversion = 1\nsource = \"Test licence\"\n[items]\n");
    for n in 1..=12 {
        text.push_str(&format!("{n} = \"{prefix} statement {n}\"\n"));
    }
    text
}

async fn organisation_definitions_are_validated_stored_and_audited(store: SharedStore) {
    let def = store
        .add_instrument_definition(&by(), "checkin.toml", &org_definition("checkin", 1))
        .await
        .unwrap();
    assert_eq!((def.id(), def.version()), ("checkin", 1));
    store
        .add_instrument_definition(&by(), "checkin2.toml", &org_definition("checkin", 2))
        .await
        .unwrap();

    let again = store
        .add_instrument_definition(&by(), "checkin.toml", &org_definition("checkin", 1))
        .await;
    assert!(
        matches!(again, Err(StoreError::Taken("instrument version"))),
        "{again:?}"
    );
    let bundled = store
        .add_instrument_definition(&by(), "phq9.toml", &org_definition("phq9", 7))
        .await;
    let Err(StoreError::Refused(message)) = bundled else {
        panic!("{bundled:?}")
    };
    assert!(
        message.contains("phq9 is a bundled instrument"),
        "{message}"
    );
    let broken = org_definition("broken", 1).replace("max = 10", "max = 0");
    let Err(StoreError::Refused(message)) = store
        .add_instrument_definition(&by(), "broken.toml", &broken)
        .await
    else {
        panic!("an invalid definition was stored")
    };
    assert!(
        message.contains("broken.toml: response.max: 0 must be greater than response.min"),
        "{message}"
    );

    let stored = store.instrument_definitions().await.unwrap();
    let ids: Vec<(&str, u32)> = stored.iter().map(|d| (d.id(), d.version())).collect();
    assert_eq!(ids, [("checkin", 1), ("checkin", 2)]);
    let registry = store.instrument_registry().await.unwrap();
    assert_eq!(registry.get("checkin").unwrap().version(), 2);
    assert_eq!(registry.origin("checkin"), Some(Origin::Organisation));
    assert_eq!(registry.origin("phq9"), Some(Origin::Bundled));

    let audit = store.audit_rows(&AuditFilter::default()).await.unwrap();
    let created: Vec<&str> = audit
        .iter()
        .filter(|row| row.entity == "instrument definition")
        .map(|row| row.detail.as_str())
        .collect();
    assert_eq!(created.len(), 2, "{audit:#?}");
    assert!(created.contains(&"checkin version 1"));
    assert!(
        store
            .verify_audit_chain()
            .await
            .unwrap()
            .first_break
            .is_none()
    );
}

async fn text_packs_attach_wording_and_replace_earlier_wording(store: SharedStore) {
    let merged = store
        .put_instrument_text(&by(), "gcqs-text.toml", &gcqs_pack("First"))
        .await
        .unwrap();
    assert!(merged.has_text());
    let registry = store.instrument_registry().await.unwrap();
    let gcqs = registry.get("gcqs").unwrap();
    let text = gcqs.item(12).unwrap().text.as_ref().unwrap();
    assert_eq!(text.text, "First statement 12");
    assert_eq!(text.origin, TextOrigin::OrganisationPack);

    store
        .put_instrument_text(&by(), "gcqs-text.toml", &gcqs_pack("Second"))
        .await
        .unwrap();
    let registry = store.instrument_registry().await.unwrap();
    assert_eq!(
        registry
            .get("gcqs")
            .unwrap()
            .item(1)
            .unwrap()
            .text
            .as_ref()
            .unwrap()
            .text,
        "Second statement 1"
    );
    assert_eq!(store.instrument_texts().await.unwrap().len(), 1);

    // A pack naming an item the definition lacks is refused and nothing changes.
    let wrong = gcqs_pack("Third").replace("12 = ", "13 = ");
    let Err(StoreError::Refused(message)) =
        store.put_instrument_text(&by(), "wrong.toml", &wrong).await
    else {
        panic!("a pack with an unknown item was stored")
    };
    assert!(
        message.contains("wrong.toml: items.13: gcqs has no item 13"),
        "{message}"
    );
    let unknown = gcqs_pack("Third").replace("\"gcqs\"", "\"nope\"");
    let Err(StoreError::Refused(message)) = store
        .put_instrument_text(&by(), "nope.toml", &unknown)
        .await
    else {
        panic!("a pack for an unknown instrument was stored")
    };
    assert!(
        message.contains("there is no instrument nope version 1"),
        "{message}"
    );
    let registry = store.instrument_registry().await.unwrap();
    assert_eq!(
        registry
            .get("gcqs")
            .unwrap()
            .item(1)
            .unwrap()
            .text
            .as_ref()
            .unwrap()
            .text,
        "Second statement 1"
    );

    let audit = store.audit_rows(&AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .filter(|row| row.entity == "instrument text")
        .map(|row| row.action.as_str())
        .collect();
    assert_eq!(actions.len(), 2);
    assert!(
        actions.contains(&"create") && actions.contains(&"update"),
        "{actions:?}"
    );
}

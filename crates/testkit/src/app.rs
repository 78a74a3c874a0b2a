//! The application under test, on its own port and its own database.

use std::{net::SocketAddr, sync::Arc};

use domain::{
    Clock, DisplayName, Group, GroupKind, GroupStaffRole, Member, MemberCode, ProgramId, Role,
    Schedule, Session, User, Username,
};
use store::{AuditContext, Backend, NewGroup, NewUser, SharedStore, testing::TempDatabase};
use tokio::net::TcpListener;
use web::{AppState, WebConfig, auth::password::PasswordHasher};

use crate::{SettableClock, TestClient};

/// A running server and the database behind it.
#[allow(missing_debug_implementations)] // holds a server task
pub struct TestApp {
    pub base_url: String,
    pub store: SharedStore,
    pub clock: SettableClock,
    pub backend: Backend,
    pub state: AppState,
    _database: TempDatabase,
    _server: tokio::task::JoinHandle<()>,
}

/// A user created for a test, with the password to sign in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub user: User,
    pub password: String,
}

/// The password fixtures use; long enough for the policy, and never a real one.
pub const TEST_PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Starts the server; `None` when the backend is PostgreSQL and no test server is set.
    pub async fn spawn(backend: Backend, test: &str) -> Option<TestApp> {
        Self::spawn_with(backend, test, WebConfig::default()).await
    }

    pub async fn spawn_with(backend: Backend, test: &str, config: WebConfig) -> Option<TestApp> {
        let admin_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(store::testing::postgres_or_skip(test)?),
        };
        let database = TempDatabase::for_backend(backend, admin_url.as_deref())
            .await
            .unwrap();
        let store = store::open(&database.url).await.unwrap();
        let clock = SettableClock::new("2026-03-05T17:00:00Z".parse().unwrap());
        let state = AppState::new(store.clone(), Arc::new(clock.clone()), config);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let serving = state.clone();
        let server = tokio::spawn(async move {
            web::serve(listener, serving, std::future::pending())
                .await
                .unwrap();
        });
        Some(TestApp {
            base_url: format!("http://{address}"),
            store,
            clock,
            backend,
            state,
            _database: database,
            _server: server,
        })
    }

    pub fn client(&self) -> TestClient {
        TestClient::new(&self.base_url)
    }

    pub fn by(&self) -> AuditContext {
        AuditContext::system("test-fixture", "test", self.clock.now())
    }

    pub async fn program(&self, name: &str) -> ProgramId {
        self.store
            .create_program(&self.by(), name, "")
            .await
            .unwrap()
            .id
    }

    /// A user with [`TEST_PASSWORD`], in `programs`.
    pub async fn user(&self, username: &str, role: Role, programs: &[ProgramId]) -> TestUser {
        let password_hash = PasswordHasher::default()
            .hash(TEST_PASSWORD.to_owned())
            .await
            .unwrap();
        let user = self
            .store
            .create_user(
                &self.by(),
                &NewUser {
                    username: Username::parse(username).unwrap(),
                    display_name: DisplayName::parse(username).unwrap(),
                    role,
                    password_hash,
                    programs: programs.to_vec(),
                },
            )
            .await
            .unwrap();
        TestUser {
            user,
            password: TEST_PASSWORD.to_owned(),
        }
    }

    /// A closed group of ten weekly sessions, Thursdays 18:00–19:30 from 5 February 2026
    /// (planned when it is created; the test clock starts on 5 March 2026).
    pub async fn group(&self, program: ProgramId, name: &str) -> Group {
        self.store
            .create_group(
                &self.by(),
                &NewGroup {
                    program_id: program,
                    name: name.into(),
                    kind: GroupKind::Closed,
                    planned_sessions: Some(10),
                    capacity: Some(8),
                    schedule: String::new(),
                    meeting: Some(
                        Schedule::new(
                            jiff::civil::Weekday::Thursday,
                            jiff::civil::time(18, 0, 0, 0),
                            90,
                        )
                        .unwrap(),
                    ),
                    starts_on: jiff::civil::date(2026, 2, 5),
                },
            )
            .await
            .unwrap()
    }

    pub async fn staff(&self, group: &Group, user: &TestUser, role: GroupStaffRole) {
        self.store
            .assign_staff(&self.by(), group.id, user.user.id, role)
            .await
            .unwrap();
    }

    /// A member enrolled in `group`.
    pub async fn member(&self, group: &Group, code: &str) -> Member {
        let member = self
            .store
            .create_member(&self.by(), &MemberCode::parse(code).unwrap(), None)
            .await
            .unwrap();
        self.store
            .enroll(&self.by(), member.id, group.id, group.starts_on)
            .await
            .unwrap();
        member
    }

    /// The group's first session, held.
    pub async fn session(&self, group: &Group) -> Session {
        let sessions = self.store.sessions(group.id).await.unwrap();
        let first = sessions
            .first()
            .expect("the fixture group has planned sessions");
        self.store.hold_session(&self.by(), first.id).await.unwrap()
    }

    /// A client already signed in as `user`.
    pub async fn signed_in(&self, user: &TestUser) -> TestClient {
        let client = self.client();
        let response = client
            .sign_in(user.user.username.as_str(), &user.password)
            .await;
        assert_eq!(
            response.status().as_u16(),
            303,
            "sign-in as {} failed",
            user.user.username
        );
        client
    }
}

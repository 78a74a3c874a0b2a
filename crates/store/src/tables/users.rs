//! `users` and `user_programs`: accounts, their roles, lockout state and program membership.

use async_trait::async_trait;
use domain::{
    Actor, DisplayName, GroupId, GroupStaffRole, ProgramId, Role, User, UserId, Username,
};
use sqlx::{Any, Row, Transaction, any::AnyRow};

use crate::{
    AuditAction, AuditContext, AuditEvent, Credentials, LoginFailure, NewUser, Result, SqlStore,
    StoreError, UserStore, audit,
    codec::{RowExt, ts},
    error::taken_or,
};

const USER_COLUMNS: &str = "id, username, display_name, role, created_at, disabled_at, locked_at";

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: UserId(row.int("id")?),
        username: Username::parse(&row.text("username")?)?,
        display_name: DisplayName::parse(&row.text("display_name")?)?,
        role: row.parsed("role")?,
        created_at: row.timestamp("created_at")?,
        disabled_at: row.opt_timestamp("disabled_at")?,
        locked_at: row.opt_timestamp("locked_at")?,
    })
}

async fn fetch_user(tx: &mut Transaction<'static, Any>, id: UserId) -> Result<User> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await?;
    user_from_row(&row)
}

/// Refuses a change that would leave no active admin (checked inside the write transaction).
async fn ensure_another_active_admin(tx: &mut Transaction<'static, Any>, id: UserId) -> Result<()> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
    )
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    if others == 0 {
        return Err(StoreError::Refused(
            "this is the last active administrator; make another user an administrator first"
                .into(),
        ));
    }
    Ok(())
}

async fn end_sessions(tx: &mut Transaction<'static, Any>, id: UserId) -> Result<()> {
    sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, by: &AuditContext, new: &NewUser) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO users (username, display_name, role, password_hash, password_changed_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
        ))
        .bind(new.username.as_str())
        .bind(new.display_name.as_str())
        .bind(new.role.as_str())
        .bind(&new.password_hash)
        .bind(ts(by.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(taken_or("username"))?;
        let user = user_from_row(&row)?;
        for program in &new.programs {
            sqlx::query("INSERT INTO user_programs (user_id, program_id) VALUES ($1, $2)")
                .bind(user.id.0)
                .bind(program.0)
                .execute(&mut *tx)
                .await?;
        }
        let event = AuditEvent::new(AuditAction::Create, "user", Some(user.id.0))
            .detail(format!("{} as {}", user.username, user.role));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user(&self, id: UserId) -> Result<User> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_one(&self.pool)
            .await?;
        user_from_row(&row)
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn credentials(&self, username: &Username) -> Result<Option<Credentials>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash, failed_logins FROM users WHERE username = $1"
        ))
        .bind(username.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user_from_row(&row)?,
                password_hash: row.text("password_hash")?,
                failed_logins: row.u32("failed_logins")?,
            })
        })
        .transpose()
    }

    async fn actor(&self, id: UserId) -> Result<Actor> {
        let user = self.user(id).await?;
        let mut actor = Actor::new(user.id, user.role);
        actor.programs = self.user_programs(id).await?.into_iter().collect();
        let rows = sqlx::query("SELECT group_id, role FROM group_staff WHERE user_id = $1")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            actor.groups.insert(
                GroupId(row.int("group_id")?),
                row.parsed::<GroupStaffRole>("role")?,
            );
        }
        Ok(actor)
    }

    async fn user_programs(&self, id: UserId) -> Result<Vec<ProgramId>> {
        let rows = sqlx::query(
            "SELECT program_id FROM user_programs WHERE user_id = $1 ORDER BY program_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(ProgramId(row.try_get("program_id")?)))
            .collect()
    }

    async fn set_user_programs(
        &self,
        by: &AuditContext,
        id: UserId,
        programs: &[ProgramId],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        fetch_user(&mut tx, id).await?;
        sqlx::query("DELETE FROM user_programs WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for program in programs {
            sqlx::query("INSERT INTO user_programs (user_id, program_id) VALUES ($1, $2)")
                .bind(id.0)
                .bind(program.0)
                .execute(&mut *tx)
                .await
                .map_err(|_| StoreError::NotFound)?;
        }
        let list: Vec<String> = programs.iter().map(ToString::to_string).collect();
        let event = AuditEvent::new(AuditAction::Assign, "user", Some(id.0))
            .detail(format!("programs [{}]", list.join(", ")));
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_role(&self, by: &AuditContext, id: UserId, role: Role) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let before = fetch_user(&mut tx, id).await?;
        if before.role == Role::Admin && role != Role::Admin {
            ensure_another_active_admin(&mut tx, id).await?;
        }
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let event = AuditEvent::new(AuditAction::Update, "user", Some(id.0))
            .detail(format!("role {} -> {}", before.role, role));
        audit::append(&mut tx, by, &event).await?;
        let user = fetch_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn set_password_hash(
        &self,
        by: &AuditContext,
        id: UserId,
        password_hash: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        fetch_user(&mut tx, id).await?;
        sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(ts(by.at))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, id).await?;
        let event = AuditEvent::new(AuditAction::PasswordChange, "user", Some(id.0))
            .detail("sessions ended");
        audit::append(&mut tx, by, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn disable_user(&self, by: &AuditContext, id: UserId) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let before = fetch_user(&mut tx, id).await?;
        if before.role == Role::Admin && before.disabled_at.is_none() {
            ensure_another_active_admin(&mut tx, id).await?;
        }
        sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2")
            .bind(ts(by.at))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, id).await?;
        audit::append(
            &mut tx,
            by,
            &AuditEvent::new(AuditAction::Disable, "user", Some(id.0)),
        )
        .await?;
        let user = fetch_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn enable_user(&self, by: &AuditContext, id: UserId) -> Result<User> {
        self.change_user(
            by,
            id,
            "UPDATE users SET disabled_at = NULL WHERE id = $1",
            AuditAction::Enable,
        )
        .await
    }

    async fn record_failed_login(
        &self,
        by: &AuditContext,
        attempted: &str,
        user: Option<UserId>,
        threshold: u32,
    ) -> Result<LoginFailure> {
        let mut tx = self.begin_write().await?;
        let outcome = match user {
            None => {
                let attempted: String = attempted.chars().take(40).collect();
                let event = AuditEvent::new(AuditAction::SignInFailed, "user", None)
                    .detail(format!("unknown account {attempted:?}"));
                audit::append(&mut tx, by, &event).await?;
                LoginFailure::UnknownUser
            }
            Some(id) => {
                let row = sqlx::query(
                    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins, locked_at",
                )
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
                let failures = row.u32("failed_logins")?;
                let already_locked = row.opt_text("locked_at")?.is_some();
                let event = AuditEvent::new(AuditAction::SignInFailed, "user", Some(id.0))
                    .detail(format!("failure {failures} of {threshold}"));
                audit::append(&mut tx, by, &event).await?;
                if already_locked {
                    LoginFailure::Locked
                } else if failures >= threshold {
                    sqlx::query("UPDATE users SET locked_at = $1 WHERE id = $2")
                        .bind(ts(by.at))
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    let event = AuditEvent::new(AuditAction::Lockout, "user", Some(id.0))
                        .detail(format!("locked after {failures} failed sign-ins"));
                    audit::append(&mut tx, by, &event).await?;
                    LoginFailure::Locked
                } else {
                    LoginFailure::Counted {
                        remaining: threshold - failures,
                    }
                }
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn record_successful_login(&self, by: &AuditContext, id: UserId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            by,
            &AuditEvent::new(AuditAction::SignIn, "user", Some(id.0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn unlock_user(&self, by: &AuditContext, id: UserId) -> Result<User> {
        let update = "UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE id = $1";
        self.change_user(by, id, update, AuditAction::Unlock).await
    }
}

impl SqlStore {
    /// Runs one UPDATE of a user row (`$1` is the id), audits it as `action`, and returns
    /// the user as it now is.
    async fn change_user(
        &self,
        by: &AuditContext,
        id: UserId,
        update: &str,
        action: AuditAction,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        fetch_user(&mut tx, id).await?;
        sqlx::query(update).bind(id.0).execute(&mut *tx).await?;
        audit::append(&mut tx, by, &AuditEvent::new(action, "user", Some(id.0))).await?;
        let user = fetch_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }
}

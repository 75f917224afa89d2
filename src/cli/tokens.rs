//! `broadsheet token ...`: API tokens from the command line (`add`, `list`, `revoke`), for
//! the first integration before anyone has signed in, and for scripts.

use crate::config::Config;
use crate::services::accounts;
use crate::services::api::tokens;
use broadsheet_store::{ApiScope, ApiToken, Store, StoreError};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for an admin. The token is printed once; only its SHA-256 is kept.
    Add {
        /// What the token is for ("Wire desk importer"), shown in lists.
        #[arg(long)]
        name: String,
        /// read (GET requests) or write (also create, change, publish, upload).
        #[arg(long, value_parser = parse_scope)]
        scope: ApiScope,
        /// The admin the token acts as (e-mail address or id); writes are attributed to them.
        #[arg(long)]
        user: String,
    },
    /// List every token, revoked ones included (never the tokens themselves).
    List,
    /// Revoke a token by its id: it stops working at once.
    Revoke { id: i64 },
}

fn parse_scope(name: &str) -> Result<ApiScope, String> {
    ApiScope::parse(name).ok_or_else(|| format!("'{name}' is not a scope; use read or write"))
}

fn when(at: Option<jiff::Timestamp>) -> String {
    at.map(|t| t.to_string()).unwrap_or_else(|| "-".into())
}

fn line(token: &ApiToken) -> String {
    format!(
        "{}\t{}\t{}\t{}\tcreated {}\tlast used {}\t{}",
        token.id,
        token.scope,
        token.name,
        token.user_email.as_deref().unwrap_or("(deleted account)"),
        token.created_at,
        when(token.last_used_at),
        match token.revoked_at {
            Some(at) => format!("revoked {at}"),
            None => "active".into(),
        }
    )
}

pub async fn run(config: &Config, command: TokenCommand) -> Result<(), StoreError> {
    let store = Store::open(&config.database_url).await?;
    match command {
        TokenCommand::Add { name, scope, user } => {
            let maker = accounts::find(&store, &user).await?;
            let (token, secret) = tokens::make(&store, &maker, &name, scope).await?;
            println!(
                "token {} created: {} ({}) for {}",
                token.id,
                token.name,
                token.scope,
                token.user_email.as_deref().unwrap_or("")
            );
            println!("{secret}");
            eprintln!("This is the only time the token is shown: keep it somewhere safe now.");
        }
        TokenCommand::List => {
            for token in store.api_tokens().await? {
                println!("{}", line(&token));
            }
        }
        TokenCommand::Revoke { id } => {
            let token = store.revoke_api_token(id, None).await?;
            println!("token {} ({}) is revoked", token.id, token.name);
        }
    }
    store.close().await;
    Ok(())
}

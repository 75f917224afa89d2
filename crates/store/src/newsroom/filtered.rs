//! A list query narrowed by optional conditions: each condition and its value are added
//! together, so the placeholders and the values bound to them cannot drift apart.

use crate::Result;
use sqlx::AnyPool;
use sqlx::any::AnyRow;

/// A value bound to one placeholder.
pub(crate) enum Value {
    Int(i64),
    Text(String),
}

pub(crate) struct Filtered {
    sql: String,
    values: Vec<Value>,
}

impl Filtered {
    /// `select` is the statement up to its conditions (without `WHERE`).
    pub(crate) fn new(select: &str) -> Filtered {
        Filtered {
            sql: format!("{select} WHERE 1 = 1"),
            values: Vec::new(),
        }
    }

    /// A condition without a value.
    pub(crate) fn and(&mut self, clause: &str) {
        self.sql += " AND ";
        self.sql += clause;
    }

    /// A condition whose `?` stands for `value`.
    pub(crate) fn and_value(&mut self, clause: &str, value: Value) {
        self.values.push(value);
        let placeholder = format!("${}", self.values.len());
        self.and(&clause.replace('?', &placeholder));
    }

    /// The rows in `order`, `limit` of them after skipping `offset`.
    pub(crate) async fn page(
        mut self,
        order: &str,
        limit: i64,
        offset: i64,
        pool: &AnyPool,
    ) -> Result<Vec<AnyRow>> {
        let n = self.values.len();
        self.sql += &format!(" ORDER BY {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let mut query = sqlx::query(&self.sql);
        for value in self.values {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            };
        }
        Ok(query
            .bind(limit)
            .bind(offset.max(0))
            .fetch_all(pool)
            .await?)
    }
}

/// `LIKE` words: any case, with the pattern characters typed by a person taken as spaces.
pub(crate) fn like(words: &str) -> Value {
    let escaped = words.to_lowercase().replace(['%', '_'], " ");
    Value::Text(format!("%{}%", escaped.trim()))
}

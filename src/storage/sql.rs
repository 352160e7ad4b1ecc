//! SQL text shared by the storage modules: pieces that differ only in size.
//! Values always go in as bind parameters, never into the text.

/// `($1, $2, ...), ($k, ...)`: a multi-row VALUES list of `width` columns;
/// `bigint` wraps the columns (by index) that PostgreSQL must read as BIGINT.
pub(crate) fn values_list(rows: usize, width: usize, first: usize, bigint: &[usize]) -> String {
    let mut sql = String::with_capacity(rows * width * 8);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            let n = first + r * width + c;
            if c > 0 {
                sql.push_str(", ");
            }
            if bigint.contains(&c) {
                sql.push_str(&format!("CAST(${n} AS BIGINT)"));
            } else {
                sql.push_str(&format!("${n}"));
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::values_list;

    #[test]
    fn rows_number_their_parameters_in_order_and_cast_the_bigint_columns() {
        assert_eq!(values_list(2, 2, 1, &[]), "($1, $2), ($3, $4)");
        assert_eq!(values_list(1, 3, 5, &[1]), "($5, CAST($6 AS BIGINT), $7)");
    }
}

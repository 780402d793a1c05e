-- expect: RW205
ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';

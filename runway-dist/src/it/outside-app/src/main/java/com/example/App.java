package com.example;

import dev.runway.datasource.RunwayDataSource;

/** Compiles against the published runway-datasource: the region-aware DataSource from the environment. */
public final class App {
    private App() {
    }

    public static RunwayDataSource dataSource() {
        return RunwayDataSource.fromEnvironment();
    }
}

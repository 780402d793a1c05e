package dev.runway.datasource.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal in-memory servlet request and response (only what the filters use). */
final class FakeHttp {
    private FakeHttp() {
    }

    static HttpServletRequest request(Map<String, String> headers, Cookie... cookies) {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> {
                    switch (m.getName()) {
                        case "getHeader":
                            return headers.get((String) a[0]);
                        case "getCookies":
                            return cookies.length == 0 ? null : cookies;
                        case "isSecure":
                            return false;
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    /** Records status, headers and cookies. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final List<Cookie> cookies = new ArrayList<>();

        HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "addCookie":
                                cookies.add((Cookie) a[0]);
                                return null;
                            case "setHeader":
                                headers.put((String) a[0], (String) a[1]);
                                return null;
                            case "setStatus":
                                status = (Integer) a[0];
                                return null;
                            case "isCommitted":
                                return false;
                            case "reset":
                                headers.clear();
                                cookies.clear();
                                status = 200;
                                return null;
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }
    }
}

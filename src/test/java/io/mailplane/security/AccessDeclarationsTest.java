package io.mailplane.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every endpoint declares its tenant boundary on {@link Access}; the check catches one that does not. */
class AccessDeclarationsTest {

    /** All JAX-RS resource classes of the service, read from the compiled classes. */
    static List<Class<?>> resourceClasses() throws IOException {
        java.nio.file.Path root = Paths.get("target/classes");
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("io/mailplane"))) {
            return files.map(p -> root.relativize(p).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .map(AccessDeclarationsTest::load)
                    .filter(type -> type.isAnnotationPresent(Path.class))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, AccessDeclarationsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEndpointWithAContextInItsPathDeclaresIt() throws IOException {
        List<Class<?>> resources = resourceClasses();
        assertTrue(resources.size() >= 15, "the scan found the resource classes: " + resources);
        List<String> problems = resources.stream().flatMap(type -> AccessDeclarations.violations(type).stream()).toList();
        assertEquals(List.of(), problems);
    }

    @Path("/oxaas/v1/admin/contexts/{contextid}/widgets")
    @Access(Scheme.CONTEXT_ADMIN)
    @IfBuildProfile("never") // a sample for the check, never an endpoint of the test application
    public static class Undeclared {
        @GET
        public String list(@PathParam("contextid") String contextid) {
            return "";
        }
    }

    @Path("/oxaas/v1/admin/widgets/{ctxContextRef}")
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @IfBuildProfile("never") // a sample for the check, never an endpoint of the test application
    public static class OtherNameDeclaredWrongly {
        @GET
        public String list(@PathParam("ctxContextRef") String ref) {
            return "";
        }

        @DELETE
        @Path("{id}")
        @Access(value = Scheme.CONTEXT_ADMIN, context = "ctxContextRef")
        public void delete(@PathParam("ctxContextRef") String ref, @PathParam("id") String id) {
        }
    }

    @Path("/oxaas/v1/admin/widgets")
    @Access(Scheme.RESELLER_ADMIN)
    @IfBuildProfile("never") // a sample for the check, never an endpoint of the test application
    public static class NoContext {
        @GET
        @Path("{id: [0-9]+}")
        public String get(@PathParam("id") String id) {
            return "";
        }
    }

    @Test
    void anEndpointThatDoesNotDeclareTheContextOnItsPathIsCaught() {
        List<String> problems = AccessDeclarations.violations(Undeclared.class);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("{contextid}"), problems.get(0));
    }

    @Test
    void aContextParameterOfAnotherNameMustBeDeclaredByThatName() {
        List<String> problems = AccessDeclarations.violations(OtherNameDeclaredWrongly.class);
        // list: names {ctxContextRef} undeclared, and declares "contextid", which is not on its path; delete is right.
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().allMatch(p -> p.startsWith("OtherNameDeclaredWrongly.list ")), problems.toString());
    }

    @Test
    void anEndpointWithoutAContextNeedsNoDeclaration() {
        assertEquals(List.of(), AccessDeclarations.violations(NoContext.class));
        assertEquals(java.util.Set.of("contextid", "userid"), AccessDeclarations.parameters("/a/{contextid}/b/{ userid : [0-9]+}"));
    }
}
